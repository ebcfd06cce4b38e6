import { balanceAt, takeUnattendedCall } from "../balances";
import { type Ctx, json, type Result, type Route, type SandboxRequest } from "../http";
import { authorise, findAccount, isResult, ok, tokenClient, tokenConnection } from "./data-access";

function balance(req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const conn = authorise(req, ctx, "balance");
  if (isResult(conn)) return conn;
  const account = findAccount(conn, params);
  if ("status" in account) return account;
  const now = ctx.store.now(conn.clientId);
  const psuIp = req.headers["x-psu-ip"];
  // A call with X-PSU-IP is user-present and not limited (TrueLayer's HTTP headers page).
  if (typeof psuIp !== "string" || psuIp.trim() === "") {
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

export const balanceRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/data\/v1\/accounts\/([^/]+)\/balance$/,
    endpoint: ["data", "balance"],
    // Not read-only: unattended calls are counted in the connection.
    clientOf: tokenClient,
    connectionOf: tokenConnection,
    handle: balance,
  },
];
