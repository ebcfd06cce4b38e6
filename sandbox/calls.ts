import type { Result } from "./http";

export interface CallRecord {
  time: string;
  /** The client's simulated time when the call arrived. */
  simulatedTime: string;
  clientId: string | null;
  /** The connection a Bearer call used (known token only), so tests can count calls per connection. */
  credentialsId: string | null;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | null;
  psuIp: string | null;
  fault: string | null;
  body: unknown;
  /** The X-TL-Correlation-Id the answer carried. */
  correlationId?: string | null;
}

const sensitive = /secret|token|code|password|verifier|challenge|reconfirm|authorization/i;
export const REDACTED = "[REDACTED]";
const MAX_CALLS = 2000;

export function redact(value: unknown, key = ""): unknown {
  if (key !== "" && sensitive.test(key) && value !== null && value !== undefined) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}

/** Dialog and re-auth ids in paths act as capabilities, so they are redacted too. */
export function redactPath(path: string): string {
  return path.replace(/^\/(_dialog|_bank\/reauth)\/[^/]+/, `/$1/${REDACTED}`);
}

export function bodyForLog(contentType: string, raw: string): unknown {
  if (raw === "") return null;
  if (contentType === "application/x-www-form-urlencoded") {
    return redact(Object.fromEntries(new URLSearchParams(raw)));
  }
  if (contentType === "application/json") {
    try {
      return redact(JSON.parse(raw));
    } catch {
      return `[unparseable JSON, ${raw.length} bytes]`;
    }
  }
  return `[${contentType || "unknown content type"}, ${raw.length} bytes]`;
}

export class CallLog {
  private calls: CallRecord[] = [];

  add(call: CallRecord): CallRecord {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
    return call;
  }

  finish(call: CallRecord, result: Result): void {
    call.status = result.destroy ? null : result.status;
    call.correlationId = result.headers?.["x-tl-correlation-id"] ?? null;
  }

  list(clientId?: string): CallRecord[] {
    return clientId === undefined ? [...this.calls] : this.calls.filter((c) => c.clientId === clientId);
  }

  reset(clientId?: string): void {
    this.calls = clientId === undefined ? [] : this.calls.filter((c) => c.clientId !== clientId);
  }
}
