import { behaviourFor, takeFlakyClientAuth } from "../behaviour";
import type { Ctx, Route } from "../context";
import { consentLapsed, findByRefreshToken, refreshProblem } from "../credentials";
import { formBody, json, oauthError, type Result, type SandboxRequest } from "../http";
import type { Behaviour } from "../profiles";
import { completeReauth, issue, rememberRefreshToken } from "../renewal";
import { pkceChallenge, safeEqual, sha256 } from "../secrets";
import type { Client } from "../state";

const invalidGrant = (description: string) => oauthError(400, "invalid_grant", description);
// TL error codes: a wrong code, one older than 5 minutes, or one already used.
const invalidCode = (description: string) => oauthError(400, "invalid_authorization_code", description);
const invalidRequest = (description: string) => oauthError(400, "invalid_request", description);

export function authenticateClient(ctx: Ctx, clientId: unknown, secret: unknown): Client | undefined {
  const client = typeof clientId === "string" ? ctx.store.client(clientId) : undefined;
  if (!client || typeof secret !== "string" || !safeEqual(secret, client.clientSecret)) return undefined;
  return client;
}

// A 400 in TrueLayer's error reference (TL error codes), in both profiles.
export function invalidClient(description?: string): Result {
  return oauthError(400, "invalid_client", description ?? "Unknown client or wrong client secret.");
}

function exchangeCode(ctx: Ctx, client: Client, form: URLSearchParams, behaviour: Behaviour): Result {
  const code = form.get("code");
  const redirectUri = form.get("redirect_uri");
  if (!code) return invalidRequest("code is required.");
  if (!redirectUri) return invalidRequest("redirect_uri is required.");
  const record = ctx.store.state.codes[sha256(code)];
  if (!record || record.clientId !== client.clientId) return invalidCode("The code is invalid.");
  if (record.used) return invalidCode("The code has already been used.");
  if (ctx.store.now(client.clientId) >= record.expiresAt) return invalidCode("The code has expired.");
  if (redirectUri !== record.redirectUri) {
    return invalidGrant("redirect_uri does not match the one the code was issued for.");
  }
  const verifier = form.get("code_verifier");
  if (record.codeChallenge !== null) {
    if (!verifier) return invalidGrant("code_verifier is required for this code.");
    if (!safeEqual(pkceChallenge(verifier), record.codeChallenge)) {
      return invalidGrant("code_verifier does not match the code_challenge.");
    }
  } else if (verifier !== null) {
    return invalidRequest("code_verifier was sent but the auth link had no code_challenge.");
  }
  const conn = ctx.store.state.connections[record.credentialsId];
  if (conn?.status !== "active") return invalidGrant("The connection has been revoked.");
  record.used = true;
  conn.lastCodeHash = sha256(code);
  if (record.extendConsent) return json(200, completeReauth(ctx, conn, behaviour));
  return json(200, issue(ctx, conn, {}));
}

function refresh(ctx: Ctx, client: Client, form: URLSearchParams, behaviour: Behaviour): Result {
  const token = form.get("refresh_token");
  if (!token) return invalidRequest("refresh_token is required.");
  // The real sandbox was measured answering invalid_client for a rejected refresh token (tightarse).
  const rejected = (description: string) =>
    behaviour.rejectedRefreshError === "invalid_client"
      ? oauthError(400, "invalid_client", description)
      : invalidGrant(description);
  const conn = findByRefreshToken(ctx.store, token);
  if (!conn || conn.clientId !== client.clientId) return rejected("The refresh token is invalid.");
  if (conn.status !== "active") return rejected("The connection has been revoked.");
  const problem = refreshProblem(ctx.store, conn, ctx.config.refreshTokenIdleDays);
  if (problem) return invalidGrant(problem);
  if (consentLapsed(ctx.store, conn)) {
    return invalidGrant("The 90-day consent has expired; extend the connection or reconnect.");
  }
  rememberRefreshToken(ctx, conn, token);
  return json(
    200,
    issue(ctx, conn, {
      refresh: behaviour.rotateRefreshTokens ? "rotate" : { keep: token },
    }),
  );
}

function token(req: SandboxRequest, ctx: Ctx): Result {
  const form = formBody(req);
  if (!form) return invalidRequest("The body must be application/x-www-form-urlencoded.");
  const named = ctx.store.client(form.get("client_id"));
  const behaviour = behaviourFor(ctx, named?.clientId);
  // Models the intermittent invalid_client tightarse measured just after a secret rotation.
  if (named && takeFlakyClientAuth(named)) return invalidClient();
  const client = authenticateClient(ctx, form.get("client_id"), form.get("client_secret"));
  if (!client) return invalidClient();
  const grantType = form.get("grant_type");
  if (!grantType) return invalidRequest("grant_type is required.");
  if (grantType === "authorization_code") return exchangeCode(ctx, client, form, behaviour);
  if (grantType === "refresh_token") return refresh(ctx, client, form, behaviour);
  return oauthError(400, "unsupported_grant_type", `grant_type ${grantType} is not supported.`);
}

export const tokenRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/connect\/token$/,
    endpoint: "token",
    clientOf: (req) => formBody(req)?.get("client_id") ?? undefined,
    handle: token,
  },
];
