import "server-only";
import { now } from "@/lib/clock";
import { revokeWithTokens } from "./revoke-tokens";
import {
  claimDuePendingRevokes,
  finishPendingRevoke,
  postponePendingRevoke,
  storePendingSuccessor,
} from "./store/pending-revokes";

const HOUR = 60 * 60 * 1000;
// 1 h, 2 h, 4 h … capped at a day: a TrueLayer outage is usually hours, a refresh token lives far longer.
const backoff = (attempts: number) => Math.min(24 * HOUR, HOUR * 2 ** Math.min(attempts, 5));

export type RevokeQueueSummary = { revoked: number; alreadyEnded: number; postponed: number };

/** The scheduled job's part: retry each queued revoke until TrueLayer confirms or the refresh token is dead. */
export async function retryPendingRevokes(options: { deadline?: number; limit?: number } = {}) {
  const summary: RevokeQueueSummary = { revoked: 0, alreadyEnded: 0, postponed: 0 };
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  while (Date.now() < deadline) {
    const due = await claimDuePendingRevokes(options.limit ?? 20);
    if (due.length === 0) break;
    for (const row of due) {
      const reason = await revokeWithTokens(row, (successor) => storePendingSuccessor(row.id, successor));
      if (reason === "truelayer_unreachable") {
        await postponePendingRevoke(row.id, new Date(now().getTime() + backoff(row.attempts)), reason);
        summary.postponed += 1;
        continue;
      }
      await finishPendingRevoke(row.id);
      if (reason === "user_stopped") summary.revoked += 1;
      else summary.alreadyEnded += 1;
    }
  }
  return summary;
}
