import { formatSortCode } from "../accounts";
import { accessTokenOwner, consentLapsed, findAccess } from "../credentials";
import { bearer, type Ctx, json, type Result, type Route, type SandboxRequest } from "../http";
import { personaByKey } from "../personas";
import { logoUri, providerById } from "../providers";
import type { Account, Connection } from "../state";

const unauthorized = () =>
  json(
    401,
    { error: "unauthorized", error_description: "The access token is missing, invalid or expired." },
    { "www-authenticate": 'Bearer error="invalid_token"' },
  );

function authorise(req: SandboxRequest, ctx: Ctx, needScope?: string): Connection | Result {
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

function isResult(value: Connection | Result): value is Result {
  return "status" in value && typeof value.status === "number";
}

const ok = (results: unknown[]) => json(200, { results, status: "Succeeded" });

function providerJson(req: SandboxRequest, conn: Connection) {
  const provider = providerById(conn.providerId);
  return {
    display_name: provider?.displayName ?? conn.providerId,
    logo_uri: provider ? logoUri(req.baseUrl, provider) : "",
    provider_id: conn.providerId,
  };
}

function accountJson(req: SandboxRequest, ctx: Ctx, conn: Connection, a: Account) {
  return {
    account_id: a.accountId,
    account_type: a.accountType,
    display_name: a.displayName,
    currency: "GBP",
    description: a.description,
    account_number: {
      iban: a.iban,
      number: a.number,
      sort_code: formatSortCode(a.sortCode),
      swift_bic: providerById(conn.providerId)?.swiftBic,
    },
    provider: providerJson(req, conn),
    update_timestamp: new Date(ctx.store.now(conn.clientId)).toISOString(),
  };
}

function me(req: SandboxRequest, ctx: Ctx): Result {
  const conn = authorise(req, ctx);
  if (isResult(conn)) return conn;
  return ok([
    {
      client_id: conn.clientId,
      credentials_id: conn.credentialsId,
      consent_status: "Authorised",
      consent_created_at: new Date(conn.consentCreatedAt).toISOString(),
      consent_expires_at: new Date(conn.consentExpiresAt).toISOString(),
      provider: providerJson(req, conn),
    },
  ]);
}

function withAccount(
  req: SandboxRequest,
  ctx: Ctx,
  params: string[],
  scope: string,
  render: (conn: Connection, account: Account) => unknown,
): Result {
  const conn = authorise(req, ctx, scope);
  if (isResult(conn)) return conn;
  const id = decodeURIComponent(params[0] ?? "");
  const account = conn.accounts.find((a) => a.accountId === id);
  if (!account)
    return json(404, { error: "account_not_found", error_description: "No account with that id." });
  return ok([render(conn, account)]);
}

function revoke(req: SandboxRequest, ctx: Ctx): Result {
  const found = findAccess(ctx.store, bearer(req));
  if (!found) return unauthorized();
  found.conn.status = "revoked";
  return json(200, {});
}

const tokenClient = (req: SandboxRequest, ctx: Ctx) => accessTokenOwner(ctx.store, bearer(req));

export const dataRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/data\/v1\/me$/,
    endpoint: "data",
    readOnly: true,
    clientOf: tokenClient,
    handle: me,
  },
  {
    method: "GET",
    path: /^\/data\/v1\/accounts$/,
    endpoint: "data",
    readOnly: true,
    clientOf: tokenClient,
    handle: (req, ctx) => {
      const conn = authorise(req, ctx, "accounts");
      return isResult(conn) ? conn : ok(conn.accounts.map((a) => accountJson(req, ctx, conn, a)));
    },
  },
  {
    method: "GET",
    path: /^\/data\/v1\/accounts\/([^/]+)$/,
    endpoint: "data",
    readOnly: true,
    clientOf: tokenClient,
    handle: (req, ctx, params) =>
      withAccount(req, ctx, params, "accounts", (c, a) => accountJson(req, ctx, c, a)),
  },
  {
    method: "GET",
    path: /^\/data\/v1\/accounts\/([^/]+)\/balance$/,
    endpoint: "data",
    readOnly: true,
    clientOf: tokenClient,
    handle: (req, ctx, params) =>
      withAccount(req, ctx, params, "balance", (conn, a) => ({
        currency: "GBP",
        available: a.available,
        current: a.current,
        ...(a.overdraft === undefined ? {} : { overdraft: a.overdraft }),
        update_timestamp: new Date(ctx.store.now(conn.clientId)).toISOString(),
      })),
  },
  { method: "DELETE", path: /^\/api\/delete$/, endpoint: "delete", clientOf: tokenClient, handle: revoke },
  {
    // Cards, transactions and the rest are outside this project's needs.
    method: "GET",
    path: /^\/data\/v1\/.+$/,
    endpoint: "data",
    readOnly: true,
    clientOf: tokenClient,
    handle: (req, ctx) => {
      const conn = authorise(req, ctx);
      if (isResult(conn)) return conn;
      return json(501, {
        error: "endpoint_not_supported",
        error_description: "The simulator does not serve this.",
      });
    },
  },
];
