import { createAccounts } from "../accounts";
import { behaviourFor } from "../behaviour";
import type { Ctx, Route } from "../context";
import { CONSENT_DAYS, issueCode } from "../credentials";
import { formBody, html, type Result, redirect, type SandboxRequest, withQuery } from "../http";
import { chooseBankPage, formPostPage, loginPage } from "../pages/dialog";
import { errorPage } from "../pages/layout";
import { findPersona, type Persona } from "../personas";
import { type Provider, providerById, shownProvider } from "../providers";
import { newCredentialsId } from "../secrets";
import type { Connection, Dialog } from "../state";
import { DAY_MS } from "../store";

/** Hands the result back to the app: a query-string redirect, or an auto-posting form. */
export function sendBack(
  redirectUri: string,
  responseMode: "query" | "form_post",
  params: Record<string, string | null>,
): Result {
  if (responseMode === "form_post") return html(200, formPostPage(redirectUri, params));
  return redirect(withQuery(redirectUri, params));
}

const usedPage = () =>
  html(400, errorPage("This link has already been used", "Go back to the app and start again."));

function lookup(ctx: Ctx, id: string | undefined): Dialog | Result {
  const dialog = id === undefined ? undefined : ctx.store.state.dialogs[id];
  if (!dialog) return html(404, errorPage("Not found", "This sign-in session does not exist."));
  if (dialog.step === "done") return usedPage();
  return dialog;
}

function isResult(value: Dialog | Result): value is Result {
  return "status" in value;
}

function show(ctx: Ctx, dialog: Dialog, error?: string, username?: string): Result {
  const publicNames = behaviourFor(ctx, dialog.clientId).publicMockProvider;
  const named = (id: string | null) => {
    const provider = providerById(id);
    return provider && shownProvider(provider, publicNames);
  };
  const bank = named(dialog.providerId);
  if (dialog.step === "choose" || !bank) {
    const banks = dialog.providerIds.flatMap((id) => named(id) ?? []);
    return html(200, chooseBankPage(dialog, banks));
  }
  const existing = dialog.credentialsId ? ctx.store.state.connections[dialog.credentialsId] : undefined;
  return html(
    200,
    loginPage(dialog, bank, {
      error,
      username: username ?? existing?.username,
      reconfirm: existing !== undefined,
    }),
  );
}

function newConnection(
  ctx: Ctx,
  dialog: Dialog,
  persona: Persona,
  bank: Provider,
  username: string,
): Connection {
  const now = ctx.store.now(dialog.clientId);
  const conn: Connection = {
    credentialsId: newCredentialsId(),
    clientId: dialog.clientId,
    providerId: bank.id,
    persona: persona.key,
    username,
    scope: dialog.scope,
    accounts: createAccounts(persona, bank),
    createdAt: now,
    consentCreatedAt: now,
    consentExpiresAt: now + CONSENT_DAYS * DAY_MS,
    status: "active",
    refreshTokenHash: null,
    refreshLastUsedAt: now,
  };
  ctx.store.state.connections[conn.credentialsId] = conn;
  return conn;
}

function login(req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const found = lookup(ctx, params[0]);
  if (isResult(found)) return found;
  const bank = providerById(found.providerId);
  if (found.step !== "login" || !bank) return show(ctx, found);
  const form = formBody(req);
  const username = form?.get("username")?.trim() ?? "";
  const persona = findPersona(username, form?.get("password") ?? "");
  if (!persona) return show(ctx, found, "The username or password is incorrect.", username);

  const existing = found.credentialsId ? ctx.store.state.connections[found.credentialsId] : undefined;
  if (existing && existing.persona !== persona.key) {
    return show(ctx, found, "Log in as the same user who made this connection.", username);
  }
  const conn = existing ?? newConnection(ctx, found, persona, bank, username);
  found.step = "done";
  const code = issueCode(ctx.store, {
    clientId: found.clientId,
    redirectUri: found.redirectUri,
    credentialsId: conn.credentialsId,
    codeChallenge: found.codeChallenge,
    extendConsent: existing !== undefined,
  });
  return sendBack(found.redirectUri, found.responseMode, { code, state: found.state });
}

function chooseProvider(req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const found = lookup(ctx, params[0]);
  if (isResult(found)) return found;
  const providerId = formBody(req)?.get("provider_id") ?? "";
  if (found.step !== "choose" || !found.providerIds.includes(providerId)) {
    return html(400, errorPage("Invalid bank", "Choose one of the banks listed."));
  }
  found.providerId = providerId;
  found.step = "login";
  return redirect(`/_dialog/${encodeURIComponent(found.id)}`, 303);
}

function cancel(_req: SandboxRequest, ctx: Ctx, params: string[]): Result {
  const found = lookup(ctx, params[0]);
  if (isResult(found)) return found;
  found.step = "done";
  return sendBack(found.redirectUri, found.responseMode, { error: "access_denied", state: found.state });
}

const dialogClient = (_req: SandboxRequest, ctx: Ctx, params: string[]) =>
  ctx.store.state.dialogs[params[0] ?? ""]?.clientId;

export const authDialogRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/_dialog\/([\w-]+)$/,
    readOnly: true,
    clientOf: dialogClient,
    handle: (_req, ctx, params) => {
      const found = lookup(ctx, params[0]);
      return isResult(found) ? found : show(ctx, found);
    },
  },
  { method: "POST", path: /^\/_dialog\/([\w-]+)\/provider$/, clientOf: dialogClient, handle: chooseProvider },
  { method: "POST", path: /^\/_dialog\/([\w-]+)\/login$/, clientOf: dialogClient, handle: login },
  { method: "POST", path: /^\/_dialog\/([\w-]+)\/cancel$/, clientOf: dialogClient, handle: cancel },
];
