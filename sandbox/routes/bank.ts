import { behaviourFor } from "../behaviour";
import type { Ctx, Route } from "../context";
import { findByRefreshToken, issueCode } from "../credentials";
import { formBody, html, json, jsonBody, oauthError, type Result, type SandboxRequest } from "../http";
import { reauthPage } from "../pages/bank";
import { errorPage } from "../pages/layout";
import { findPersona, personaByKey } from "../personas";
import type { Behaviour } from "../profiles";
import { providerById, shownProvider } from "../providers";
import { rememberRefreshToken } from "../renewal";
import type { Reauth } from "../state";
import { DAY_MS } from "../store";
import { sendBack } from "./auth-dialog";
import { bodyClient, newReauth } from "./extend";
import { authenticateClient, invalidClient } from "./token";

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
  const refreshToken = field("refresh_token");
  const conn = findByRefreshToken(ctx.store, refreshToken);
  const clientId = field("client_id");
  if (clientId !== undefined && !authenticateClient(ctx, clientId, field("client_secret"))) {
    return invalidClient();
  }
  if (conn?.status !== "active" || refreshToken === undefined)
    return oauthError(400, "invalid_grant", "Invalid refresh token.");
  const graceEnd =
    Math.min(conn.consentExpiresAt, conn.refreshLastUsedAt + ctx.config.refreshTokenIdleDays * DAY_MS) +
    90 * DAY_MS;
  if (ctx.store.now(conn.clientId) > graceEnd) {
    return oauthError(401, "unauthorized", "The 90-day re-authentication grace period is over.");
  }
  if (!ctx.store.client(conn.clientId)?.redirectUris.includes(redirectUri)) {
    return oauthError(400, "invalid_request", "redirect_uri is not on this client's allow list.");
  }
  rememberRefreshToken(ctx, conn, refreshToken);
  const reauth = newReauth(ctx, conn, "bank", redirectUri, field("state"), "reauthuri");
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
  const shown = shownProvider(bank, behaviourFor(ctx, conn.clientId).publicMockProvider);
  return html(200, reauthPage(reauth.id, shown, { username: conn.username, error, cancelsOnly }));
}

// TrueLayer support documents the /v1/reauthuri return: `code`, with `state` echoed.
const reauthUriReturn: Behaviour["bankReturn"] = {
  codeParam: "code",
  state: "echo",
  responseMode: "query",
  errorDescription: false,
};

/** Back to the app after a bank trip, in the shape the client's bankReturn option selects. */
function returnFromBank(ctx: Ctx, reauth: Reauth, outcome: { code: string } | { cancelled: true }): Result {
  const shape = reauth.via === "reauthuri" ? reauthUriReturn : behaviourFor(ctx, reauth.clientId).bankReturn;
  const fields: Record<string, string | null> =
    "code" in outcome
      ? { [shape.codeParam]: outcome.code }
      : {
          error: "access_denied",
          error_description: shape.errorDescription ? "The user cancelled at the bank." : null,
        };
  fields.state = shape.state === "echo" ? reauth.state : null;
  return sendBack(reauth.redirectUri, shape.responseMode, fields);
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
  return returnFromBank(ctx, reauth, { code });
}

function cancel(_req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const reauth = findReauth(ctx, params[0]);
  if (isResult(reauth)) return reauth;
  reauth.used = true;
  return returnFromBank(ctx, reauth, { cancelled: true });
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
