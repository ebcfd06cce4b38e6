import "server-only";
import { deliverAlerts } from "@/lib/alerts/deliver";
import { pruneReminderLinks } from "@/lib/auth/reminder-link";
import { now } from "@/lib/clock";
import { backfillConnectionFacts, drainRevokeQueue, sweepUnclaimedGrants } from "@/lib/connections/custody";
import { connectionRetention as stored } from "@/lib/connections/queries";
import { pruneSecurityEvents } from "@/lib/security/events";
import { pruneRateLimits } from "@/lib/security/rate-limit";
import { finishInterruptedDeletions } from "@/lib/users/delete-account";
import { cutoff } from "./retention-periods";
import { checkRevokeQueueAge } from "./revoke-queue-age";

export async function pruneExpired(options: { at?: Date; deadline?: number } = {}) {
  const at = options.at ?? now();
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  return {
    consentRecords: await stored.pruneConsentRecords(cutoff(at, "consentRecords"), deadline),
    connectionEvents: await stored.pruneConnectionEvents(cutoff(at, "connectionEvents"), deadline),
    rateLimits: await pruneRateLimits(cutoff(at, "rateLimits")),
    authStates: await stored.pruneAuthStates(cutoff(at, "authStates"), deadline),
    codeExchanges: await stored.pruneCodeExchanges(cutoff(at, "codeExchanges"), deadline),
    callbackPosts: await stored.pruneCallbackPosts(at, deadline),
    reminderLinks: await pruneReminderLinks(at),
    stoppedFigures: await stored.eraseStoppedFigures(deadline),
    securityEvents: await pruneSecurityEvents(
      cutoff(at, "securityEvents"),
      cutoff(at, "anonymousSecurityEvents"),
    ),
  };
}

/** The scheduled job's housekeeping: grants a crash left, queued revokes (and whether any is late), deletions a crash
 * left, pruning, then the operator alerts not yet delivered (last, so this run's own are among them). */
export async function runMaintenance(options: { deadline?: number } = {}) {
  const factsBackfilled = await backfillConnectionFacts();
  const unclaimedGrantsQueued = await sweepUnclaimedGrants();
  const revokes = await drainRevokeQueue({ deadline: options.deadline });
  const { stale, size, oldestAt } = await checkRevokeQueueAge();
  const deletionsFinished = await finishInterruptedDeletions();
  const pruned = await pruneExpired({ deadline: options.deadline });
  // A few seconds even when the budget is spent: an alert that waits a day for the next run is no alert.
  const alerts = await deliverAlerts({
    deadline: Math.max(options.deadline ?? Number.POSITIVE_INFINITY, Date.now() + 5_000),
  });
  return {
    factsBackfilled,
    unclaimedGrantsQueued,
    revokes,
    revokeQueue: { size, oldestAt, late: stale },
    deletionsFinished,
    pruned,
    alerts,
  };
}
