import { balanceAt, takeUnattendedCall } from "../balances";
import type { Ctx, Route } from "../context";
import { json, type Result, type SandboxRequest } from "../http";
import type { Account, Connection } from "../state";
import { bearerConnection, findAccount, isResult, ok, tokenClient, tokenConnection } from "./data-access";

// A call with X-PSU-IP is user-present and not limited (TrueLayer's HTTP headers page).
function unattended(req: SandboxRequest): boolean {
  const psuIp = req.headers["x-psu-ip"];
  return typeof psuIp !== "string" || psuIp.trim() === "";
}

function target(
  req: SandboxRequest,
  ctx: Ctx,
  params: string[],
): { conn: Connection; account: Account } | Result {
  const conn = bearerConnection(req, ctx, "balance");
  if (isResult(conn)) return conn;
  const account = findAccount(conn, params);
  return "status" in account ? account : { conn, account };
}

function balance(req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const found = target(req, ctx, params);
  if ("status" in found) return found;
  const { conn, account } = found;
  const now = ctx.store.now(conn.clientId);
  if (unattended(req)) {
    const retryAfter = takeUnattendedCall(conn, account.accountId, now);
    if (retryAfter !== undefined) {
      return json(
        429,
        {
          error: "unattended_calls_limit_exceeded",
          error_description:
            "Without the user present (no X-PSU-IP), a balance can be read at most 4 times in 24 hours.",
        },
        { "retry-after": String(retryAfter) },
      );
    }
  }
  return ok([balanceAt(conn, account, now)]);
}

// A call that failed past TrueLayer's door still reached the bank, and the bank counts calls, not answers.
function countFaulted(req: SandboxRequest, ctx: Ctx, params: string[]): void {
  const found = target(req, ctx, params);
  if ("status" in found || !unattended(req)) return;
  takeUnattendedCall(found.conn, found.account.accountId, ctx.store.now(found.conn.clientId));
}

export const balanceRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/data\/v1\/accounts\/([^/]+)\/balance$/,
    endpoint: ["data", "balance"],
    // Not read-only: unattended calls are counted in the connection.
    clientOf: tokenClient,
    connectionOf: tokenConnection,
    handle: balance,
    onFault: countFaulted,
  },
];
