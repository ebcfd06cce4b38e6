import "server-only";
import { revokeWithTokens, type StopReason } from "./revoke-tokens";
import { getConnectionForUser, revokeConnection } from "./store/connections";
import { claim, keep, type Lease, release } from "./store/lease";

export type { StopReason } from "./revoke-tokens";

export type StopResult =
  | { ok: true; reason: StopReason | "already_stopped"; providerName: string }
  | { ok: false; problem: "not_found" | "busy" };

/** Revokes at TrueLayer under a lease; the lease is returned still held, moved on past any refresh. */
export async function revokeUnderLease(
  userId: string,
  connectionId: string,
  purpose: string,
): Promise<{ lease: Lease; reason: StopReason } | null> {
  const claimed = await claim(connectionId, userId, purpose);
  if (!claimed) return null;
  let lease: Lease = claimed;
  try {
    const reason = await revokeWithTokens(claimed, async (successor) => {
      lease = await keep(lease, successor);
    });
    return { lease, reason };
  } catch (error) {
    // Only our own storage can fail here; leave the connection as it was.
    await release(lease);
    throw error;
  }
}

// Whatever TrueLayer answered, our tokens are deleted and the connection marked stopped.
export async function stopSharing(userId: string, connectionId: string): Promise<StopResult> {
  const row = await getConnectionForUser(connectionId, userId);
  if (!row) return { ok: false, problem: "not_found" };
  const providerName = row.providerName;
  if (row.status === "REVOKED") return { ok: true, reason: "already_stopped", providerName };
  const revoked = await revokeUnderLease(userId, connectionId, "stop_sharing");
  if (!revoked) return { ok: false, problem: "busy" };
  await revokeConnection(revoked.lease, userId, revoked.reason);
  return { ok: true, reason: revoked.reason, providerName };
}
