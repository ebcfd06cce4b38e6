import { newAccessToken, newSecret, sha256 } from "./secrets";
import type { AccessToken, Connection } from "./state";
import { DAY_MS, type Store } from "./store";

export const ACCESS_TOKEN_SECONDS = 3600;
export const CONSENT_DAYS = 90;
export const CODE_TTL_MS = 5 * 60 * 1000;

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: "Bearer";
  refresh_token?: string;
  scope: string;
}

export interface IssueOptions {
  /** rotate: a new refresh token replaces the old one; omit: none in the answer; a string: hand it back. */
  refresh?: "rotate" | "omit" | { keep: string };
}

/**
 * Issues an access token and, with offline_access, a refresh token as `refresh` says. The connection's
 * earlier access tokens die: "Only the last access_token is valid" (TL support 360004162458).
 */
export function issueTokens(
  store: Store,
  conn: Connection,
  signingKey: Buffer,
  options: IssueOptions = {},
): TokenResponse {
  const now = store.now(conn.clientId);
  revokeAccessTokens(store, conn.credentialsId);
  const expiresAt = now + ACCESS_TOKEN_SECONDS * 1000;
  const accessToken = newAccessToken(signingKey, { clientId: conn.clientId, issuedAt: now, expiresAt });
  store.state.accessTokens[sha256(accessToken)] = {
    clientId: conn.clientId,
    credentialsId: conn.credentialsId,
    expiresAt,
  };
  pruneAccessTokens(store, conn.clientId);
  const response: TokenResponse = {
    access_token: accessToken,
    expires_in: ACCESS_TOKEN_SECONDS,
    token_type: "Bearer",
    scope: conn.scope.join(" "),
  };
  conn.refreshLastUsedAt = now;
  const refresh = options.refresh ?? "rotate";
  if (refresh === "omit" || !conn.scope.includes("offline_access")) return response;
  const refreshToken = refresh === "rotate" ? newSecret("sbx_rt_") : refresh.keep;
  conn.refreshTokenHash = sha256(refreshToken);
  response.refresh_token = refreshToken;
  return response;
}

/** Kept (until they expire) so calls made with them are still attributed in the call log and faults. */
export function revokeAccessTokens(store: Store, credentialsId: string): void {
  for (const record of Object.values(store.state.accessTokens)) {
    if (record.credentialsId === credentialsId) record.superseded = true;
  }
}

export function issueCode(
  store: Store,
  code: {
    clientId: string;
    redirectUri: string;
    credentialsId: string;
    codeChallenge: string | null;
    extendConsent: boolean;
  },
): string {
  const value = newSecret("sbx_code_");
  store.state.codes[sha256(value)] = {
    ...code,
    expiresAt: store.now(code.clientId) + CODE_TTL_MS,
    used: false,
  };
  return value;
}

export function extendConsent(store: Store, conn: Connection): void {
  conn.consentExpiresAt = store.now(conn.clientId) + CONSENT_DAYS * DAY_MS;
}

/** A live access token and its connection, or undefined (unknown, expired, or revoked). */
export function findAccess(
  store: Store,
  token: string | undefined,
): { token: AccessToken; conn: Connection } | undefined {
  if (!token) return undefined;
  const record = store.state.accessTokens[sha256(token)];
  const conn = record ? store.state.connections[record.credentialsId] : undefined;
  if (!record || record.superseded || !conn || conn.status !== "active") return undefined;
  if (store.now(record.clientId) >= record.expiresAt) return undefined;
  return { token: record, conn };
}

/** The owner of an access token even if it is no longer usable; for attributing calls. */
export function accessTokenOwner(store: Store, token: string | undefined): string | undefined {
  return token ? store.state.accessTokens[sha256(token)]?.clientId : undefined;
}

/** The connection an access token was issued for, even if it is no longer usable; for the call log. */
export function accessTokenConnection(store: Store, token: string | undefined): string | undefined {
  return token ? store.state.accessTokens[sha256(token)]?.credentialsId : undefined;
}

export function findByRefreshToken(store: Store, token: string | undefined): Connection | undefined {
  if (!token) return undefined;
  const hash = sha256(token);
  return Object.values(store.state.connections).find((c) => c.refreshTokenHash === hash);
}

/** Why a refresh token cannot be used right now, or undefined if it can. */
export function refreshProblem(store: Store, conn: Connection, idleDays: number): string | undefined {
  if (conn.status !== "active") return "The connection has been revoked.";
  if (store.now(conn.clientId) - conn.refreshLastUsedAt > idleDays * DAY_MS) {
    return `The refresh token expired after ${idleDays} days without use.`;
  }
  return undefined;
}

export function consentLapsed(store: Store, conn: Connection): boolean {
  return store.now(conn.clientId) >= conn.consentExpiresAt;
}

function pruneAccessTokens(store: Store, clientId: string): void {
  const now = store.now(clientId);
  for (const [hash, record] of Object.entries(store.state.accessTokens)) {
    if (record.clientId === clientId && record.expiresAt <= now) delete store.state.accessTokens[hash];
  }
}
