import type { IncomingHttpHeaders } from "node:http";

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
