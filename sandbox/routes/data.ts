import { formatSortCode } from "../accounts";
import { behaviourFor } from "../behaviour";
import type { Ctx, Route } from "../context";
import { findAccess } from "../credentials";
import { bearer, json, type Result, type SandboxRequest } from "../http";
import { providerAnswer, providerById } from "../providers";
import { shownConsentExpiry } from "../renewal";
import type { Account, Connection } from "../state";
import {
  bearerConnection,
  findAccount,
  isResult,
  ok,
  tokenClient,
  tokenConnection,
  unauthorized,
} from "./data-access";

function providerJson(req: SandboxRequest, ctx: Ctx, conn: Connection) {
  return providerAnswer(req.baseUrl, conn.providerId, behaviourFor(ctx, conn.clientId).publicMockProvider);
}

function accountJson(req: SandboxRequest, ctx: Ctx, conn: Connection, a: Account) {
  const omit = a.omit ?? [];
  return {
    ...(omit.includes("account_id") ? {} : { account_id: a.accountId }),
    account_type: a.accountType,
    ...(omit.includes("display_name") ? {} : { display_name: a.displayName }),
    currency: "GBP",
    description: a.description,
    account_number: {
      iban: a.iban,
      number: a.number,
      sort_code: formatSortCode(a.sortCode),
      swift_bic: providerById(conn.providerId)?.swiftBic,
    },
    provider: providerJson(req, ctx, conn),
    update_timestamp: new Date(ctx.store.now(conn.clientId)).toISOString(),
  };
}

function me(req: SandboxRequest, ctx: Ctx): Result {
  const conn = bearerConnection(req, ctx);
  if (isResult(conn)) return conn;
  return ok([
    {
      client_id: conn.clientId,
      credentials_id: conn.credentialsId,
      consent_status: "Authorised",
      consent_created_at: new Date(conn.consentCreatedAt).toISOString(),
      consent_expires_at: new Date(shownConsentExpiry(ctx, conn)).toISOString(),
      provider: providerJson(req, ctx, conn),
    },
  ]);
}

function oneAccount(req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const conn = bearerConnection(req, ctx, "accounts");
  if (isResult(conn)) return conn;
  const account = findAccount(conn, params);
  return "status" in account ? account : ok([accountJson(req, ctx, conn, account)]);
}

function revoke(req: SandboxRequest, ctx: Ctx): Result {
  const found = findAccess(ctx.store, bearer(req));
  if (!found) return unauthorized();
  found.conn.status = "revoked";
  return json(200, {});
}

const dataRoute = {
  endpoint: "data",
  readOnly: true,
  clientOf: tokenClient,
  connectionOf: tokenConnection,
} as const;

export const dataRoutes: Route[] = [
  { ...dataRoute, method: "GET", path: /^\/data\/v1\/me$/, handle: me },
  {
    ...dataRoute,
    method: "GET",
    path: /^\/data\/v1\/accounts$/,
    handle: (req, ctx) => {
      const conn = bearerConnection(req, ctx, "accounts");
      return isResult(conn) ? conn : ok(conn.accounts.map((a) => accountJson(req, ctx, conn, a)));
    },
  },
  { ...dataRoute, method: "GET", path: /^\/data\/v1\/accounts\/([^/]+)$/, handle: oneAccount },
  { method: "DELETE", path: /^\/api\/delete$/, endpoint: "delete", clientOf: tokenClient, handle: revoke },
  {
    // Cards, transactions and the rest are outside this project's needs.
    ...dataRoute,
    method: "GET",
    path: /^\/data\/v1\/.+$/,
    handle: (req, ctx) => {
      const conn = bearerConnection(req, ctx);
      if (isResult(conn)) return conn;
      return json(501, {
        error: "endpoint_not_supported",
        error_description: "The simulator does not serve this.",
      });
    },
  },
];
