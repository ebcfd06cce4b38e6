import "server-only";
import { now } from "@/lib/clock";
import { alertOperator } from "@/lib/operator-alert";
import { redact, TrueLayerError } from "@/lib/truelayer";
import { getConnectionForUser, revokeConnection } from "./store/connections";
import { type ClaimedConnection, claim, keep, type Lease, release } from "./store/lease";
import { openSecret, sealedTokenColumns } from "./tokens";
import { truelayer } from "./truelayer";

export type StopReason = "user_stopped" | "already_ended_at_truelayer" | "truelayer_unreachable";

export type StopResult =
  | { ok: true; reason: StopReason | "already_stopped"; providerName: string }
  | { ok: false; problem: "not_found" | "busy" };

// invalid_client is our credentials refused: it says nothing about the connection.
function alreadyEnded(error: unknown): boolean {
  return (
    error instanceof TrueLayerError &&
    !error.clientRejected &&
    (error.reconnectRequired || error.status === 401)
  );
}

function logFailure(step: "refresh" | "delete", error: unknown): void {
  if (error instanceof TrueLayerError && error.clientRejected) {
    alertOperator(`TrueLayer refused our client credentials on stop sharing (${step})`, error);
  } else console.warn(`Stop sharing: ${step} failed`, redact(error));
}

async function accessTokenFor(
  lease: Lease,
  row: Pick<ClaimedConnection, "accessTokenSealed" | "refreshTokenSealed" | "accessTokenExpiresAt">,
): Promise<{ token: string; lease: Lease } | { ended: StopReason }> {
  const fresh = row.accessTokenExpiresAt && row.accessTokenExpiresAt > now();
  if (row.accessTokenSealed && fresh) return { token: openSecret(row.accessTokenSealed), lease };
  if (!row.refreshTokenSealed) return { ended: "already_ended_at_truelayer" };
  let tokens: Awaited<ReturnType<ReturnType<typeof truelayer>["refreshToken"]>>;
  try {
    tokens = await truelayer().refreshToken({ refreshToken: openSecret(row.refreshTokenSealed) });
  } catch (error) {
    if (alreadyEnded(error)) return { ended: "already_ended_at_truelayer" };
    logFailure("refresh", error);
    return { ended: "truelayer_unreachable" };
  }
  // The old refresh token may be dead now: store its successor before using the new access token.
  const stored = await keep(lease, {
    ...sealedTokenColumns(tokens),
    accessTokenExpiresAt: new Date(now().getTime() + tokens.expiresIn * 1000),
  });
  return { token: tokens.accessToken, lease: stored };
}

async function revokeAtTrueLayer(accessToken: string): Promise<StopReason> {
  try {
    const outcome = await truelayer().deleteConnection(accessToken);
    return outcome === "revoked" ? "user_stopped" : "already_ended_at_truelayer";
  } catch (error) {
    if (alreadyEnded(error)) return "already_ended_at_truelayer";
    logFailure("delete", error);
    return "truelayer_unreachable";
  }
}

// Whatever TrueLayer answered, our tokens are deleted and the connection marked stopped.
export async function stopSharing(userId: string, connectionId: string): Promise<StopResult> {
  const row = await getConnectionForUser(connectionId, userId);
  if (!row) return { ok: false, problem: "not_found" };
  const providerName = row.providerName;
  if (row.status === "REVOKED") return { ok: true, reason: "already_stopped", providerName };

  const claimed = await claim(connectionId, userId, "stop_sharing");
  if (!claimed) return { ok: false, problem: "busy" };
  let lease: Lease = claimed;
  let reason: StopReason;
  try {
    const access = await accessTokenFor(lease, claimed);
    if ("ended" in access) reason = access.ended;
    else {
      lease = access.lease;
      reason = await revokeAtTrueLayer(access.token);
    }
  } catch (error) {
    // Only our own storage can fail here; leave the connection as it was.
    await release(lease);
    throw error;
  }
  await revokeConnection(lease, userId, reason);
  return { ok: true, reason, providerName };
}
