import type { IncomingHttpHeaders } from "node:http";
import type { CallLog } from "./calls";
import type { Faults } from "./faults";
import type { ProfileName } from "./profiles";
import type { Store } from "./store";

export type FaultEndpoint = "token" | "extend" | "data" | "balance" | "delete" | "reauthuri";

export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The origin the caller used, so links we hand out work for them. */
  baseUrl: string;
}

export interface Result {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Destroy the socket instead of answering. */
  destroy?: boolean;
}

export interface Config {
  mode: "test" | "demo" | "off";
  refreshTokenIdleDays: number;
  /** For clients registered without a profile, and for calls whose client is unknown. */
  defaultProfile: ProfileName;
}

export interface Ctx {
  store: Store;
  config: Config;
  faults: Faults;
  calls: CallLog;
  /**
   * Refresh tokens last presented or issued, by credentials_id; memory only (the data file holds hashes),
   * so truelayer-sandbox can hand the same token back after a bank re-authentication.
   */
  refreshTokens: Map<string, string>;
  /** Signs access tokens (HS256); random per simulator run, memory only. */
  signingKey: Buffer;
  /** What the controls need in X-Sandbox-Token; per run, memory only. */
  controlToken: string;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Result {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
    body: JSON.stringify(value),
  };
}

export function oauthError(status: number, error: string, description: string): Result {
  return json(status, { error, error_description: description });
}

export function html(status: number, body: string): Result {
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy":
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action *; frame-ancestors 'none'",
    },
    body,
  };
}

export function redirect(location: string, status = 302): Result {
  return { status, headers: { location, "cache-control": "no-store" } };
}

export function contentType(req: SandboxRequest): string {
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export function formBody(req: SandboxRequest): URLSearchParams | undefined {
  return contentType(req) === "application/x-www-form-urlencoded"
    ? new URLSearchParams(req.rawBody)
    : undefined;
}

export function jsonBody(req: SandboxRequest): unknown {
  if (contentType(req) !== "application/json") return undefined;
  try {
    return JSON.parse(req.rawBody) as unknown;
  } catch {
    return undefined;
  }
}

export function bearer(req: SandboxRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

export function withQuery(uri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  path: RegExp;
  /** Fault injection targets, most general first; routes without one never get faults. */
  endpoint?: FaultEndpoint | FaultEndpoint[];
  /** Test controls: need the run's control token, hidden when mode is "off" and left out of the call log. */
  control?: boolean;
  /**
   * A page for browser tests (the echo redirect target): hidden when mode is "off" and left out of the call
   * log like a control, but opened by a browser, so it needs no token. It shows only the request itself.
   */
  testPage?: boolean;
  /** Left out of the call log (static assets). */
  unlogged?: boolean;
  /** Skip writing the data file after this route. */
  readOnly?: boolean;
  /** The client a call belongs to, for the call log, faults and clocks. */
  clientOf?: (req: SandboxRequest, ctx: Ctx, params: string[]) => string | undefined;
  /** Runs when an injected fault answered instead of `handle` (the call still reached TrueLayer). */
  onFault?: (req: SandboxRequest, ctx: Ctx, params: string[]) => void;
  /** The connection a Bearer call reads, for the call log. */
  connectionOf?: (req: SandboxRequest, ctx: Ctx) => string | undefined;
  handle: (req: SandboxRequest, ctx: Ctx, params: string[]) => Result | Promise<Result>;
}
