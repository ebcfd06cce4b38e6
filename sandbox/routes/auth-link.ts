import type { Ctx, Route } from "../context";
import { html, redirect, type SandboxRequest } from "../http";
import { landingPage } from "../pages/bank";
import { knownScopes } from "../pages/dialog";
import { errorPage } from "../pages/layout";
import { coveredProviders } from "../providers";
import { newId, sha256 } from "../secrets";
import type { Dialog } from "../state";

type Parsed = { ok: true; dialog: Dialog } | { ok: false; title: string; message: string };

function fail(title: string, message: string): Parsed {
  return { ok: false, title, message };
}

/** Validates an auth link. Any problem is shown to the user; we never redirect to an unchecked URI. */
function parseLink(q: URLSearchParams, ctx: Ctx): Parsed {
  const client = ctx.store.client(q.get("client_id"));
  if (!client) return fail("Unknown client", "The client_id in this link is not registered.");
  const redirectUri = q.get("redirect_uri") ?? "";
  if (!client.redirectUris.includes(redirectUri)) {
    return fail("Invalid redirect URI", "The redirect_uri is not on this client's allow list.");
  }
  if (q.get("response_type") !== "code") {
    return fail("Invalid request", 'response_type must be "code".');
  }
  const scope = (q.get("scope") ?? "").split(/\s+/).filter(Boolean);
  const unknown = scope.filter((s) => !knownScopes.includes(s));
  if (scope.length === 0 || unknown.length > 0) {
    return fail("Invalid scope", `scope must list some of: ${knownScopes.join(" ")}.`);
  }
  const responseMode = q.get("response_mode") ?? "query";
  if (responseMode !== "query" && responseMode !== "form_post") {
    return fail("Invalid request", 'response_mode must be "query" or "form_post".');
  }
  const challenge = q.get("code_challenge");
  const method = q.get("code_challenge_method");
  if (
    (challenge !== null || method !== null) &&
    (method !== "S256" || !/^[\w-]{43,128}$/.test(challenge ?? ""))
  ) {
    return fail("Invalid request", "PKCE needs a base64url code_challenge with code_challenge_method=S256.");
  }
  const disabled = (q.get("disable_providers") ?? "").split(/\s+/);
  const covered = coveredProviders(
    (q.get("providers") ?? "").split(/\s+/).filter(Boolean),
    q.get("enable_mock") === "true",
  ).filter((p) => !disabled.includes(p.id));
  if (covered.length === 0) return fail("No banks available", "The providers parameter matches no bank.");
  const providerId = q.get("provider_id");
  if (providerId !== null && !covered.some((p) => p.id === providerId)) {
    return fail("Invalid provider", "provider_id is not one of the providers this link allows.");
  }

  let credentialsId: string | null = null;
  const reconfirm = q.get("reconfirm");
  if (reconfirm !== null) {
    const reauth = ctx.store.state.reauths[reconfirm];
    const conn = reauth ? ctx.store.state.connections[reauth.credentialsId] : undefined;
    if (reauth?.kind !== "dialog" || reauth.clientId !== client.clientId || !conn) {
      return fail("Invalid link", "This reconfirmation link is not valid.");
    }
    if (reauth.used) return fail("This link has already been used", "Each reconfirmation link works once.");
    credentialsId = conn.credentialsId;
  }

  return {
    ok: true,
    dialog: {
      id: newId(),
      clientId: client.clientId,
      redirectUri,
      scope,
      providerIds: covered.map((p) => p.id),
      providerId,
      state: q.get("state"),
      responseMode,
      codeChallenge: challenge,
      credentialsId,
      step: providerId === null ? "choose" : "login",
      createdAt: ctx.store.now(client.clientId),
    },
  };
}

function openLink(req: SandboxRequest, ctx: Ctx) {
  if ([...req.query.keys()].length === 0) return html(200, landingPage());
  const parsed = parseLink(req.query, ctx);
  if (!parsed.ok) return html(400, errorPage(parsed.title, parsed.message));
  const linkKey = sha256(req.query.toString());
  if (ctx.store.state.links[linkKey] !== undefined) {
    return html(
      400,
      errorPage(
        "This link has already been used",
        "Each auth link works once. Go back to the app and start again.",
      ),
    );
  }
  ctx.store.state.links[linkKey] = parsed.dialog.clientId;
  const reauth = ctx.store.state.reauths[req.query.get("reconfirm") ?? ""];
  if (reauth) reauth.used = true;
  ctx.store.state.dialogs[parsed.dialog.id] = parsed.dialog;
  return redirect(`/_dialog/${encodeURIComponent(parsed.dialog.id)}`, 303);
}

export const authLinkRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/$/,
    clientOf: (req) => req.query.get("client_id") ?? undefined,
    handle: openLink,
  },
];
