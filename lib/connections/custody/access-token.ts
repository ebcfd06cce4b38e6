import "server-only";
import { failureFields, log } from "@/lib/log";
import { alertOperator } from "@/lib/operator-alert";
import { isTrueLayerError, type TokenSet } from "@/lib/truelayer";
import { openSecret } from "../sealed-tokens";
import { truelayer } from "../truelayer-client";
import { commit, holdOrWait, LostLeaseError, release } from "./hold";
import { isLive, newTokensFrom } from "./revoke-grant";
import type { Claimed, Lease } from "./statements";

export type TokenHolder = {
  connectionId: string;
  userId: string;
  accessTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
};

/** Commits the successor before the new access token is used (the old refresh token may be dead once TrueLayer
 * answered). Failures go on the row: invalid_grant keeps the refresh token (extend needs it after consent lapses) and
 * marks the bank needed, or a lost grant if an earlier answer went missing; an unanswered call is remembered; our own
 * credentials or configuration refused change nothing. `keepLease` keeps the lease for a next step (a DELETE). */
export async function refreshHeld(
  held: Claimed,
  options: { keepLease?: boolean } = {},
): Promise<{ token: string; lease: Lease } | { problem: string; lease?: Lease }> {
  const keepLease = options.keepLease ?? false;
  const still = (lease: Lease) => (keepLease ? { lease } : {});
  if (!held.refreshTokenSealed) {
    if (!keepLease) await release(held);
    return { problem: "no_refresh_token", ...still(held) };
  }
  let tokens: TokenSet;
  try {
    tokens = await truelayer().refreshToken({ refreshToken: openSecret(held.refreshTokenSealed) });
  } catch (error) {
    if (!isTrueLayerError(error)) {
      await release(held);
      throw error;
    }
    if (error.reconnectRequired) {
      const lost = held.outcomeUnknownAt !== null;
      const reason = lost ? "grant_lost" : "reconnect_required";
      const { version } = await commit(
        held,
        { kind: "failed", reason, needsBank: true, grantLost: lost },
        { keepLease },
      );
      return { problem: reason, ...still({ ...held, version }) };
    }
    const ours = error.clientRejected || error.configRejected;
    log[ours ? "error" : "warn"]("truelayer.refresh_failed", {
      userId: held.userId,
      connectionId: held.connectionId,
      ...failureFields(error),
    });
    if (error.clientRejected)
      await alertOperator(
        "credentials_refused",
        "TrueLayer refused our client credentials on a token refresh",
      );
    else if (error.configRejected)
      await alertOperator(
        "configuration_refused",
        "TrueLayer refused our client configuration (unauthorized_client) on a token refresh",
      );
    if (error.outcomeUnknown) {
      const { version } = await commit(held, { kind: "unanswered" }, { keepLease });
      return { problem: error.code, ...still({ ...held, version }) };
    }
    if (!keepLease) await release(held);
    return { problem: error.code, ...still(held) };
  }
  const successor = { kind: "refreshed" as const, tokens: newTokensFrom(tokens, held.refreshTokenSealed) };
  // Stopped, or the lease lapsed, while TrueLayer answered: commit queues the grant's new tokens and throws.
  const { version } = await commit(held, successor, { keepLease });
  return { token: tokens.accessToken, lease: { ...held, version } };
}

/** The stored access token while it lives, else one refresh under the lease (the one wait loop for another request's
 * refresh). `stale`: it just got a 401, and only the latest works, so another request may have replaced it. */
export async function accessToken(
  conn: TokenHolder,
  options: { stale?: string } = {},
): Promise<string | undefined> {
  if (!options.stale && isLive(conn)) return openSecret(conn.accessTokenSealed);
  const got = await holdOrWait(conn.connectionId, conn.userId, "refresh");
  if (!("held" in got)) return undefined;
  const held = got.held;
  if (isLive(held) && openSecret(held.accessTokenSealed) !== options.stale) {
    await release(held);
    return openSecret(held.accessTokenSealed);
  }
  if (held.status !== "ACTIVE") {
    await release(held);
    return undefined;
  }
  try {
    const refreshed = await refreshHeld(held);
    return "token" in refreshed ? refreshed.token : undefined;
  } catch (error) {
    // Stopped meanwhile (stopping always wins): the new tokens are queued, not used.
    if (error instanceof LostLeaseError) return undefined;
    throw error;
  }
}
