import type { Ctx } from "../context";
import { accessTokenConnection, accessTokenOwner, consentLapsed, findAccess } from "../credentials";
import { bearer, json, type Result, type SandboxRequest } from "../http";
import { personaByKey } from "../personas";
import type { Account, Connection } from "../state";

export const unauthorized = () =>
  json(
    401,
    { error: "unauthorized", error_description: "The access token is missing, invalid or expired." },
    { "www-authenticate": 'Bearer error="invalid_token"' },
  );

export function bearerConnection(req: SandboxRequest, ctx: Ctx, needScope?: string): Connection | Result {
  const found = findAccess(ctx.store, bearer(req));
  if (!found) return unauthorized();
  const conn = found.conn;
  if (consentLapsed(ctx.store, conn)) {
    return json(403, {
      error: "access_denied",
      error_description: "The 90-day consent for this connection has expired. Extend it or reconnect.",
    });
  }
  const dataError = personaByKey(conn.persona)?.dataError;
  if (dataError)
    return json(dataError.status, { error: dataError.error, error_description: dataError.description });
  if (needScope && !conn.scope.includes(needScope)) {
    return json(403, {
      error: "insufficient_scope",
      error_description: `This needs the ${needScope} scope.`,
    });
  }
  return conn;
}

export function isResult(value: Connection | Result): value is Result {
  return "status" in value && typeof value.status === "number";
}

export const ok = (results: unknown[]) => json(200, { results, status: "Succeeded" });

export function findAccount(conn: Connection, params: string[]): Account | Result {
  const id = decodeURIComponent(params[0] ?? "");
  const account = conn.accounts.find((a) => a.accountId === id);
  return account ?? json(404, { error: "account_not_found", error_description: "No account with that id." });
}

export const tokenClient = (req: SandboxRequest, ctx: Ctx) => accessTokenOwner(ctx.store, bearer(req));
export const tokenConnection = (req: SandboxRequest, ctx: Ctx) =>
  accessTokenConnection(ctx.store, bearer(req));
