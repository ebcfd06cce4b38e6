import "server-only";
import { now } from "@/lib/clock";
import { keyIdOf } from "@/lib/crypto/token-seal";
import { failureFields, log } from "@/lib/log";
import { alertOperator } from "@/lib/operator-alert";
import { type TokenSet, TrueLayerError } from "@/lib/truelayer";
import { openSecret, sealedTokenColumns } from "../sealed-tokens";
import { truelayer } from "../truelayer-client";
import type { NewTokens } from "./transitions";

/** A grant's tokens as stored: what revoking needs, and what is queued when it cannot finish. */
export type GrantTokens = {
  accessTokenSealed: string | null;
  refreshTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
};

// revoked: TrueLayer confirmed. gone: refresh token dead (invalid_grant), nothing reaches the grant. unanswered: a
// refresh TrueLayer may have acted on unheard (new tokens maybe lost). Else the grant lives: the caller keeps it.
export type RevokeAttempt =
  | "revoked"
  | "gone"
  | "unreachable"
  | "unanswered"
  | "client_rejected"
  | "config_rejected";

// A token this close to its end is refreshed rather than sent.
const MARGIN_MS = 60_000;

export const isLive = (t: {
  accessTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
}): t is { accessTokenSealed: string; accessTokenExpiresAt: Date } =>
  !!t.accessTokenSealed &&
  !!t.accessTokenExpiresAt &&
  t.accessTokenExpiresAt.getTime() - MARGIN_MS > now().getTime();

/** Without a new refresh token the `kept` one is resealed with the current key: one key id describes both columns. */
export function newTokensFrom(
  tokens: Pick<TokenSet, "accessToken" | "refreshToken"> & { expiresIn?: number },
  kept?: string | null,
): NewTokens {
  const columns = sealedTokenColumns(tokens);
  const stale = !tokens.refreshToken && kept && keyIdOf(kept) !== columns.tokenKeyId;
  return {
    ...(stale
      ? sealedTokenColumns({ accessToken: tokens.accessToken, refreshToken: openSecret(kept) })
      : columns),
    accessTokenExpiresAt: new Date(now().getTime() + (tokens.expiresIn ?? 3600) * 1000),
  };
}

async function failureOf(step: "refresh" | "delete", error: unknown): Promise<RevokeAttempt> {
  if (!(error instanceof TrueLayerError)) throw error;
  if (error.clientRejected) return "client_rejected";
  if (error.configRejected) {
    log.error("truelayer.revoke_failed", { reason: `config_rejected_on_${step}`, ...failureFields(error) });
    await alertOperator("configuration_refused", `TrueLayer refused our configuration on revoke (${step})`);
    return "config_rejected";
  }
  if (step === "refresh" && error.reconnectRequired) return "gone";
  if (step === "refresh" && error.outcomeUnknown) return "unanswered";
  log.warn("truelayer.revoke_failed", { reason: `${step}_failed`, ...failureFields(error) });
  return "unreachable";
}

/** DELETE /api/delete, refreshed first if expired; a 401 gets one refresh and one retry, only invalid_grant then says
 * gone (decision 043, ../shared/truelayer-api.md §11). `store` keeps a refreshed pair before it is used. */
export async function revokeGrant(
  grant: GrantTokens,
  store: (successor: NewTokens) => Promise<void>,
): Promise<RevokeAttempt> {
  let current = grant;
  const refresh = async (): Promise<RevokeAttempt | string> => {
    // Without a refresh token, nothing we hold reaches the grant once its access token has run out.
    if (!current.refreshTokenSealed) return "gone";
    let tokens: TokenSet;
    try {
      tokens = await truelayer().refreshToken({ refreshToken: openSecret(current.refreshTokenSealed) });
    } catch (error) {
      return await failureOf("refresh", error);
    }
    const successor = newTokensFrom(tokens, current.refreshTokenSealed);
    await store(successor);
    current = {
      ...successor,
      refreshTokenSealed: successor.refreshTokenSealed ?? current.refreshTokenSealed,
    };
    return tokens.accessToken;
  };
  let token: RevokeAttempt | string = isLive(current)
    ? openSecret(current.accessTokenSealed)
    : await refresh();
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!isToken(token)) return token;
    try {
      const outcome = await truelayer().deleteConnection(token);
      if (outcome === "revoked") return "revoked";
    } catch (error) {
      return await failureOf("delete", error);
    }
    if (attempt === 0) token = await refresh();
  }
  // A fresh token and still 401: nothing we hold reaches this grant.
  return "gone";
}

const isToken = (value: RevokeAttempt | string): value is string =>
  !["revoked", "gone", "unreachable", "unanswered", "client_rejected", "config_rejected"].includes(value);
