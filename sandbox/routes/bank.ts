import { findByRefreshToken, issueCode } from "../credentials";
import {
  type Ctx,
  formBody,
  html,
  json,
  jsonBody,
  oauthError,
  type Result,
  type Route,
  type SandboxRequest,
} from "../http";
import { reauthPage } from "../pages/bank";
import { errorPage } from "../pages/layout";
import { findPersona, personaByKey } from "../personas";
import { providerById } from "../providers";
import type { Reauth } from "../state";
import { DAY_MS } from "../store";
import { sendBack } from "./auth-dialog";
import { bodyClient, newReauth } from "./extend";
import { authenticateClient } from "./token";

/** Superseded by /connections/extend but still used by older clients. */
function reauthUri(req: SandboxRequest, ctx: Ctx): Result {
  const raw = jsonBody(req);
  if (typeof raw !== "object" || raw === null) {
    return oauthError(400, "invalid_request", "The body must be a JSON object.");
  }
  const field = (name: string) => {
    const value = (raw as Record<string, unknown>)[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  if (field("response_type") !== "code")
    return oauthError(400, "invalid_request", 'response_type must be "code".');
  const redirectUri = field("redirect_uri");
  if (!redirectUri) return oauthError(400, "invalid_request", "redirect_uri is required.");
  if (
    field("client_id") !== undefined &&
    !authenticateClient(ctx, field("client_id"), field("client_secret"))
  ) {
    return oauthError(401, "invalid_client", "Unknown client or wrong client secret.");
  }
  const conn = findByRefreshToken(ctx.store, field("refresh_token"));
  if (conn?.status !== "active") return oauthError(400, "invalid_grant", "Invalid refresh token.");
  const graceEnd =
    Math.min(conn.consentExpiresAt, conn.refreshLastUsedAt + ctx.config.refreshTokenIdleDays * DAY_MS) +
    90 * DAY_MS;
  if (ctx.store.now(conn.clientId) > graceEnd) {
    return oauthError(401, "unauthorized", "The 90-day re-authentication grace period is over.");
  }
  if (!ctx.store.client(conn.clientId)?.redirectUris.includes(redirectUri)) {
    return oauthError(400, "invalid_request", "redirect_uri is not on this client's allow list.");
  }
  const reauth = newReauth(ctx, conn, "bank", redirectUri, field("state"));
  return json(200, { success: true, result: `${req.baseUrl}/_bank/reauth/${reauth.id}` });
}

function findReauth(ctx: Ctx, id: string | undefined): Reauth | Result {
  const reauth = id === undefined ? undefined : ctx.store.state.reauths[id];
  if (reauth?.kind !== "bank") return html(404, errorPage("Not found", "This link does not exist."));
  if (reauth.used)
    return html(400, errorPage("This link has already been used", "Go back to the app and start again."));
  return reauth;
}

function isResult(value: Reauth | Result): value is Result {
  return "status" in value;
}

function show(ctx: Ctx, reauth: Reauth, error?: string): Result {
  const conn = ctx.store.state.connections[reauth.credentialsId];
  const bank = providerById(conn?.providerId);
  if (!conn || !bank) return html(404, errorPage("Not found", "This connection no longer exists."));
  const cancelsOnly = personaByKey(conn.persona)?.reauthCancels ?? false;
  return html(200, reauthPage(reauth.id, bank, { username: conn.username, error, cancelsOnly }));
}

function approve(req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const reauth = findReauth(ctx, params[0]);
  if (isResult(reauth)) return reauth;
  const conn = ctx.store.state.connections[reauth.credentialsId];
  if (conn?.status !== "active") return show(ctx, reauth);
  if (personaByKey(conn.persona)?.reauthCancels) return cancel(req, ctx, params);
  const persona = findPersona(conn.username, formBody(req)?.get("password") ?? "");
  if (persona?.key !== conn.persona) return show(ctx, reauth, "The password is incorrect.");
  reauth.used = true;
  const code = issueCode(ctx.store, {
    clientId: conn.clientId,
    redirectUri: reauth.redirectUri,
    credentialsId: conn.credentialsId,
    codeChallenge: null,
    extendConsent: true,
  });
  return sendBack(reauth.redirectUri, "query", { code, state: reauth.state });
}

function cancel(_req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const reauth = findReauth(ctx, params[0]);
  if (isResult(reauth)) return reauth;
  reauth.used = true;
  return sendBack(reauth.redirectUri, "query", { error: "access_denied", state: reauth.state });
}

const reauthClient = (_req: SandboxRequest, ctx: Ctx, params: string[]) =>
  ctx.store.state.reauths[params[0] ?? ""]?.clientId;

export const bankRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/v1\/reauthuri$/,
    endpoint: "reauthuri",
    clientOf: bodyClient,
    handle: reauthUri,
  },
  {
    method: "GET",
    path: /^\/_bank\/reauth\/([\w-]+)$/,
    readOnly: true,
    clientOf: reauthClient,
    handle: (_req, ctx, params) => {
      const reauth = findReauth(ctx, params[0]);
      return isResult(reauth) ? reauth : show(ctx, reauth);
    },
  },
  { method: "POST", path: /^\/_bank\/reauth\/([\w-]+)\/approve$/, clientOf: reauthClient, handle: approve },
  { method: "POST", path: /^\/_bank\/reauth\/([\w-]+)\/cancel$/, clientOf: reauthClient, handle: cancel },
];
