import { AsyncLocalStorage } from "node:async_hooks";
import { newAccountId } from "./accounts";
import type { Ctx } from "./context";
import {
  extendConsent,
  type IssueOptions,
  issueTokens,
  revokeAccessTokens,
  type TokenResponse,
} from "./credentials";
import type { Behaviour } from "./profiles";
import { newCredentialsId, sha256 } from "./secrets";
import type { Connection } from "./state";

// The grants whose tokens this request issued: if its answer is then lost, the ledger says so (dispatch.ts).
export const issuedThisRequest = new AsyncLocalStorage<string[]>();

/** Issues tokens and remembers the refresh token in memory (see Ctx.refreshTokens). */
export function issue(ctx: Ctx, conn: Connection, options: IssueOptions): TokenResponse {
  const tokens = issueTokens(ctx.store, conn, ctx.signingKey, options);
  issuedThisRequest.getStore()?.push(conn.credentialsId);
  if (tokens.refresh_token) ctx.refreshTokens.set(conn.credentialsId, tokens.refresh_token);
  return tokens;
}

export function rememberRefreshToken(ctx: Ctx, conn: Connection, refreshToken: string): void {
  ctx.refreshTokens.set(conn.credentialsId, refreshToken);
}

/** 90 more days; with a /me lag, /me keeps showing the expiry from before the first unsettled renewal. */
export function renewConsent(ctx: Ctx, conn: Connection, behaviour: Behaviour): void {
  const before = conn.consentExpiresAt;
  extendConsent(ctx.store, conn);
  if (behaviour.meLagMs <= 0) return;
  const now = ctx.store.now(conn.clientId);
  const shownExpiresAt = conn.meLag && now < conn.meLag.until ? conn.meLag.shownExpiresAt : before;
  conn.meLag = { shownExpiresAt, until: now + behaviour.meLagMs };
}

export function shownConsentExpiry(ctx: Ctx, conn: Connection): number {
  const lag = conn.meLag;
  return lag && ctx.store.now(conn.clientId) < lag.until ? lag.shownExpiresAt : conn.consentExpiresAt;
}

/** Moves a connection to a new credentials_id; the old id's access tokens die with it. */
function changeCredentialsId(ctx: Ctx, conn: Connection): void {
  const s = ctx.store.state;
  const old = conn.credentialsId;
  conn.credentialsId = newCredentialsId();
  delete s.connections[old];
  s.connections[conn.credentialsId] = conn;
  revokeAccessTokens(ctx.store, old);
  ctx.refreshTokens.delete(old);
  for (const item of [...Object.values(s.codes), ...Object.values(s.reauths)]) {
    if (item.credentialsId === old) item.credentialsId = conn.credentialsId;
  }
}

/** The code exchange that ends a bank re-authentication (extend, reauthuri or reconfirmation). */
export function completeReauth(ctx: Ctx, conn: Connection, behaviour: Behaviour): TokenResponse {
  renewConsent(ctx, conn, behaviour);
  if (behaviour.newAccountIdsOnReauth) {
    conn.accounts = conn.accounts.map((a) => ({ ...a, accountId: newAccountId() }));
  }
  if (behaviour.newCredentialsIdOnReauth) changeCredentialsId(ctx, conn);
  // TrueLayer support: after re-authentication "the refresh_token returned will also be identical".
  const held = ctx.refreshTokens.get(conn.credentialsId);
  const refresh: IssueOptions["refresh"] =
    !behaviour.rotateRefreshTokens && held !== undefined && sha256(held) === conn.refreshTokenHash
      ? { keep: held }
      : "rotate";
  return issue(ctx, conn, { refresh });
}
