import "server-only";
import { inSpan } from "@/lib/telemetry/spans";
import type { ResolvedConfig } from "./config";
import { TrueLayerError, type TrueLayerOperation } from "./errors";

export interface HttpRequest {
  operation: TrueLayerOperation;
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** A read made with the user present (X-PSU-IP): only these are retried. */
  userPresent?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

const READS: ReadonlySet<TrueLayerOperation> = new Set(["getMe", "getAccounts", "getBalance"]);

/** Calls that are safe to repeat: for the rest a lost answer means we cannot know whether TrueLayer acted. */
export function isIdempotent(operation: TrueLayerOperation): boolean {
  return READS.has(operation) || operation === "deleteConnection";
}

// The connection was never made, so nothing reached TrueLayer.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function causeCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return undefined;
    if ("code" in current && typeof current.code === "string") return current.code;
    current = "cause" in current ? current.cause : undefined;
  }
  return undefined;
}

function transportError(operation: TrueLayerOperation, error: unknown): TrueLayerError {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new TrueLayerError({
      operation,
      code: "timeout",
      retryable: true,
      outcomeUnknown: !isIdempotent(operation),
    });
  }
  const sent = !NOT_SENT.has(causeCode(error) ?? "");
  return new TrueLayerError({
    operation,
    code: "network",
    retryable: true,
    outcomeUnknown: sent && !isIdempotent(operation),
    detail: causeCode(error),
    cause: error,
  });
}

async function once(config: ResolvedConfig, request: HttpRequest): Promise<HttpResponse> {
  try {
    const headers = { accept: "application/json", ...request.headers };
    return await config.send(
      request.url,
      { method: request.method, headers, body: request.body },
      config.timeoutMs,
    );
  } catch (error) {
    throw transportError(request.operation, error);
  }
}

// One span per attempt: the operation, the status and TrueLayer's correlation id; never the URL, a header or a body.
function traced<T>(config: ResolvedConfig, request: HttpRequest, handle: (response: HttpResponse) => T) {
  const attributes = { "truelayer.operation": request.operation, "http.request.method": request.method };
  return inSpan(`truelayer ${request.operation}`, attributes, async (span) => {
    const response = await once(config, request);
    span.setAttribute("http.response.status_code", response.status);
    const correlationId = correlationIdOf(response.headers);
    if (correlationId) span.setAttribute("truelayer.correlation_id", correlationId);
    return handle(response);
  });
}

function backoffMs(config: ResolvedConfig, retry: number): number {
  const ceiling = Math.min(5_000, 200 * 2 ** retry);
  return Math.round(ceiling / 2 + (config.random() * ceiling) / 2);
}

// Only attended reads retry: extend, token and delete could change state twice, and every unattended call counts
// against the bank's four a day, failed ones included.
export async function call<T>(
  config: ResolvedConfig,
  request: HttpRequest,
  handle: (response: HttpResponse) => T,
): Promise<T> {
  const retries = READS.has(request.operation) && request.userPresent ? config.maxReadRetries : 0;
  for (let retry = 0; ; retry++) {
    try {
      return await traced(config, request, handle);
    } catch (error) {
      if (!(error instanceof TrueLayerError) || !error.retryable || retry >= retries) throw error;
      const wait = error.retryAfterSeconds;
      if (wait !== undefined && wait > config.maxRetryAfterSeconds) throw error;
      await config.sleep(wait !== undefined ? wait * 1000 : backoffMs(config, retry));
    }
  }
}

/** TL "common headers": quote it to TrueLayer's support. Anything but a plain token is dropped. */
export function correlationIdOf(headers: Headers): string | undefined {
  const value = headers.get("x-tl-correlation-id")?.trim();
  return value && /^[\w.:-]{1,100}$/.test(value) ? value : undefined;
}
