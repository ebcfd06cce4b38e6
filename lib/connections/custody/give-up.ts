import "server-only";
import { commit, type Holding, LostLeaseError, release } from "./hold";
import { revokeGrant } from "./revoke-grant";
import type { Claimed } from "./statements";
import type { Retired, StopReason } from "./transitions";

/** Revoked at TrueLayer when it answers, else queued in the statement that stops the connection and clears its
 * tokens: no grant is let go unrevoked. Stopping wins over anything in flight, even with the lease lost meanwhile. */
export async function giveUp(held: Claimed, reason: Retired["reason"]): Promise<StopReason> {
  let lease: Holding = held;
  let attempt: Awaited<ReturnType<typeof revokeGrant>>;
  try {
    attempt = await revokeGrant(held, async (successor) => {
      const { version } = await commit(lease, { kind: "refreshed", tokens: successor }, { keepLease: true });
      lease = { ...lease, version };
    });
  } catch (error) {
    // Our storage failed: the row stays as it was. A lost lease: commit queued the new tokens, and the stop wins.
    if (!(error instanceof LostLeaseError)) {
      await release(lease);
      throw error;
    }
    attempt = "unreachable";
  }
  const stop: StopReason =
    attempt === "revoked"
      ? "user_stopped"
      : attempt !== "gone"
        ? "truelayer_unreachable"
        : held.outcomeUnknownAt || held.grantLostAt
          ? "answer_lost"
          : "already_ended_at_truelayer";
  const lost = stop === "answer_lost";
  const transition = {
    kind: "revoked" as const,
    reason: stop,
    ...(stop === "truelayer_unreachable" || lost
      ? { retire: { reason, unanswered: lost || attempt === "unanswered" } }
      : {}),
  };
  // A lost answer's grant is queued and tried at once, so the queue counts it lost for operators.
  try {
    await commit(lease, transition, { revokeNow: lost });
  } catch (error) {
    if (!(error instanceof LostLeaseError)) throw error;
    await commit({ connectionId: held.connectionId, userId: held.userId, force: true }, transition, {
      revokeNow: lost,
    });
  }
  return stop;
}
