import { behaviourFor, takeFlakyClientAuth } from "../behaviour";
import type { Ctx, Route } from "../context";
import { findByRefreshToken, refreshProblem } from "../credentials";
import { json, jsonBody, oauthError, type Result, type SandboxRequest } from "../http";
import { personaByKey } from "../personas";
import type { Behaviour } from "../profiles";
import { issue, rememberRefreshToken, renewConsent } from "../renewal";
import { newId } from "../secrets";
import type { Client, Connection, Reauth } from "../state";
import { ExtendBody, type ExtendInput, fieldErrors, validationError } from "./extend-body";
import { authenticateClient, invalidClient } from "./token";

export function newReauth(
  ctx: Ctx,
  conn: Connection,
  kind: Reauth["kind"],
  redirectUri: string,
  state: string | undefined,
  via: Reauth["via"],
) {
  const reauth: Reauth = {
    id: newId(),
    kind,
    clientId: conn.clientId,
    credentialsId: conn.credentialsId,
    redirectUri,
    state: state ?? null,
    used: false,
    createdAt: ctx.store.now(conn.clientId),
    via,
  };
  ctx.store.state.reauths[reauth.id] = reauth;
  return reauth;
}

function reconfirmLink(req: SandboxRequest, conn: Connection, reauth: Reauth): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: conn.clientId,
    redirect_uri: reauth.redirectUri,
    scope: conn.scope.join(" "),
    providers: conn.providerId,
    provider_id: conn.providerId,
    reconfirm: reauth.id,
  });
  if (reauth.state !== null) q.set("state", reauth.state);
  return `${req.baseUrl}/?${q.toString()}`;
}

const consentMessage =
  "user_has_reconfirmed_consent cannot be accepted until TrueLayer has reviewed your reconfirmation screen.";

/** The checks between a valid body and a usable connection, in the order the README lists. */
function check(ctx: Ctx, body: ExtendInput, b: Behaviour): Client | Result {
  const named = ctx.store.client(body.client_id);
  // The same intermittent client check as /connect/token (unsettled for extend: no source shows it there).
  if (named && takeFlakyClientAuth(named)) return invalidClient();
  const client = authenticateClient(ctx, body.client_id, body.client_secret);
  if (!client) return invalidClient();
  if (!client.extendEnabled) {
    return oauthError(403, "unauthorized_client", "Connection extension is not enabled for this client.");
  }
  if (!client.redirectUris.includes(body.redirect_uri)) {
    return validationError({ redirect_uri: ["redirect_uri is not on this client's allow list."] });
  }
  if (!client.consentScreenReviewed) {
    return b.consentScreenError === "validation_error"
      ? validationError({ user_has_reconfirmed_consent: [consentMessage] })
      : oauthError(400, "consent_screen_not_reviewed", consentMessage);
  }
  return client;
}

function extend(req: SandboxRequest, ctx: Ctx): Result {
  const raw = jsonBody(req);
  if (raw === undefined)
    return oauthError(400, "invalid_request", "The body must be JSON (application/json).");
  const parsed = ExtendBody.safeParse(raw);
  if (!parsed.success) return validationError(fieldErrors(parsed.error));
  const body = parsed.data;
  const b = behaviourFor(ctx, body.client_id);
  const client = check(ctx, body, b);
  if ("status" in client) return client;
  const conn = findByRefreshToken(ctx.store, body.refresh_token);
  if (!conn || conn.clientId !== client.clientId)
    return oauthError(400, "invalid_grant", "Invalid refresh token.");
  const problem = refreshProblem(ctx.store, conn, ctx.config.refreshTokenIdleDays);
  if (problem) return oauthError(400, "invalid_grant", problem);
  rememberRefreshToken(ctx, conn, body.refresh_token);

  const persona = personaByKey(conn.persona);
  const action = persona?.extend ?? "authentication_needed";
  if (action === "no_action_needed") {
    renewConsent(ctx, conn, b);
    // norotate never returns one; otherwise strict rotates and truelayer-sandbox returns the one sent.
    const refresh =
      persona?.rotateOnExtend === false
        ? "omit"
        : b.rotateRefreshTokens
          ? "rotate"
          : { keep: body.refresh_token };
    const { scope: _scope, expires_in, ...tokens } = issue(ctx, conn, { refresh });
    // TrueLayer's pages promise neither field; integrators read both (README, "Profiles").
    const expiry = b.extendAnswerExpiry
      ? { expires_in, consent_expires_at: new Date(conn.consentExpiresAt).toISOString() }
      : {};
    return json(200, { action_needed: action, ...tokens, ...expiry });
  }
  if (action === "reconfirmation_of_consent_needed") {
    const reauth = newReauth(ctx, conn, "dialog", body.redirect_uri, body.state, "extend");
    return json(200, { action_needed: action, user_input_link: reconfirmLink(req, conn, reauth) });
  }
  const reauth = newReauth(ctx, conn, "bank", body.redirect_uri, body.state, "extend");
  return json(200, { action_needed: action, user_input_link: `${req.baseUrl}/_bank/reauth/${reauth.id}` });
}

export const bodyClient = (req: SandboxRequest, ctx: Ctx): string | undefined => {
  const raw = jsonBody(req);
  if (typeof raw !== "object" || raw === null) return undefined;
  const clientId = "client_id" in raw ? raw.client_id : undefined;
  if (typeof clientId === "string") return clientId;
  const refreshToken =
    "refresh_token" in raw && typeof raw.refresh_token === "string" ? raw.refresh_token : undefined;
  return findByRefreshToken(ctx.store, refreshToken)?.clientId;
};

export const extendRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/data\/v1\/connections\/extend$/,
    endpoint: "extend",
    clientOf: bodyClient,
    handle: extend,
  },
  // tightarse calls the path without /data/v1; accept both.
  {
    method: "POST",
    path: /^\/connections\/extend$/,
    endpoint: "extend",
    clientOf: bodyClient,
    handle: extend,
  },
];
