import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pino from "pino";
import { isTrueLayerError } from "@/lib/truelayer/errors";
import { redactText } from "@/lib/truelayer/redact";

// One JSON line per event (decision 050); only these fields can be logged: our ids, never a token, address or name.
export type LogFields = {
  requestId?: string;
  userId?: string;
  connectionId?: string;
  reconfirmationId?: string;
  /** TrueLayer's X-TL-Correlation-Id, what their support asks for. */
  correlationId?: string;
  operation?: string;
  status?: number;
  code?: string;
  reason?: string;
  retryable?: boolean;
  kind?: string;
  count?: number;
  errorName?: string;
  /** An unexpected error's message, with secrets and anything like an email address taken out. */
  errorMessage?: string;
};

type Sink = { write(line: string): unknown };
let sink: Sink = process.stdout;

const logger = pino(
  {
    base: undefined,
    messageKey: "event",
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  },
  { write: (line: string) => sink.write(line) },
);

export function logTo(next: Sink): Sink {
  const previous = sink;
  sink = next;
  return previous;
}

const requests = new AsyncLocalStorage<string>();

export function withRequestId<T>(headers: Headers | null, work: () => T): T {
  return requests.run(headers?.get("x-vercel-id") ?? headers?.get("x-request-id") ?? randomUUID(), work);
}

function pick(fields: LogFields): LogFields {
  const requestId = requests.getStore();
  return Object.fromEntries(
    Object.entries({ requestId, ...fields }).filter(([, value]) => value !== undefined),
  ) as LogFields;
}

export const log = {
  info: (event: string, fields: LogFields = {}) => logger.info(pick(fields), event),
  warn: (event: string, fields: LogFields = {}) => logger.warn(pick(fields), event),
  error: (event: string, fields: LogFields = {}) => logger.error(pick(fields), event),
};

/** What a failed call tells an operator: TrueLayer's own fields for a TrueLayerError, only the name otherwise. */
export function failureFields(error: unknown): LogFields {
  if (isTrueLayerError(error))
    return {
      operation: error.operation,
      status: error.status,
      code: error.code,
      retryable: error.retryable,
      correlationId: error.correlationId,
    };
  if (!(error instanceof Error)) return { errorName: typeof error };
  const message = redactText(error.message.split("\n")[0] ?? "").replace(/[^\s@]+@[^\s@]+/g, "[address]");
  return { errorName: error.name, errorMessage: message.slice(0, 200) };
}
