import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "@/lib/clock";
import { alertOperator } from "@/lib/operator-alert";
import { isTrueLayerError, type TokenSet } from "@/lib/truelayer";
import { currentAccessToken } from "../store/balances";
import { claim, complete, LostLeaseError, leaseEnded, release } from "../store/lease";
import { openSecret, sealedTokenColumns } from "../tokens";
import { truelayer } from "../truelayer";

// A token this close to its end is refreshed rather than sent.
const MARGIN_MS = 60_000;
// Past TrueLayer's 10 s timeout, as extend waits for another request (reconfirm/extend.ts).
const WAIT_FOR_OTHER_MS = 15_000;
const POLL_MS = 100;

type Tokens = { accessTokenSealed: string | null; accessTokenExpiresAt: Date | null };

/**
 * A usable access token, refreshed under the connection's lease when it has run out (the rules of extend:
 * one refresh in flight, the rotated refresh token stored in the compare-and-set that retires the old one).
 * `refused`: a token the bank just answered 401 to (only the last one issued works), so it counts as run
 * out. Undefined when there is none to be had now; the stored figures stay as they are.
 */
export async function accessTokenFor(
  connection: Tokens & { connectionId: string; userId: string },
  refused?: string,
) {
  const live = (t: Tokens | null): t is { accessTokenSealed: string; accessTokenExpiresAt: Date } =>
    !!t?.accessTokenSealed &&
    !!t.accessTokenExpiresAt &&
    t.accessTokenExpiresAt.getTime() - MARGIN_MS > now().getTime() &&
    (refused === undefined || openSecret(t.accessTokenSealed) !== refused);
  if (live(connection)) return openSecret(connection.accessTokenSealed);
  const lease = await claim(connection.connectionId, connection.userId, "refresh");
  if (!lease) {
    // Another tab or instance holds the lease: use what it stores instead of refreshing again.
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    while (!(await leaseEnded(connection.connectionId))) {
      if (Date.now() >= deadline) return undefined;
      await sleep(POLL_MS);
    }
    const stored = await currentAccessToken(connection.connectionId);
    return live(stored) ? openSecret(stored.accessTokenSealed) : undefined;
  }
  // Refreshed by someone else between our read and our claim.
  if (live(lease)) {
    await release(lease);
    return openSecret(lease.accessTokenSealed);
  }
  if (lease.status !== "ACTIVE" || !lease.refreshTokenSealed) {
    await release(lease);
    return undefined;
  }
  let tokens: TokenSet;
  try {
    tokens = await truelayer().refreshToken({ refreshToken: openSecret(lease.refreshTokenSealed) });
  } catch (error) {
    if (isTrueLayerError(error) && error.clientRejected) {
      // Our credentials, not the user's token: it is kept (docs/decisions/021).
      alertOperator("TrueLayer refused our client credentials on a token refresh", error);
    } else if (isTrueLayerError(error) && error.reconnectRequired) {
      await complete(
        lease,
        { status: "NEEDS_BANK_AUTH", statusReason: "reconnect_required" },
        { type: "FAILED", reason: "reconnect_required" },
      );
      return undefined;
    }
    // Anything else (a timeout included) keeps the token: if it was spent, the next try hears invalid_grant.
    await release(lease);
    if (!isTrueLayerError(error)) throw error;
    return undefined;
  }
  const at = now();
  try {
    await complete(lease, {
      ...sealedTokenColumns({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }),
      accessTokenExpiresAt: new Date(at.getTime() + (tokens.expiresIn ?? 3600) * 1000),
    });
  } catch (error) {
    // Stopped meanwhile (stopping always wins): the new tokens are not stored and not used.
    if (error instanceof LostLeaseError) return undefined;
    throw error;
  }
  return tokens.accessToken;
}
