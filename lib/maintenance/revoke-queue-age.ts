import "server-only";
import { now } from "@/lib/clock";
import { revokeQueueStats } from "@/lib/connections/custody";
import { alertOperator } from "@/lib/operator-alert";

const DAY_MS = 86_400_000;

/** A grant we gave up should be revoked within a day (the queue retries hourly at first): older is work late. */
export async function checkRevokeQueueAge() {
  const stats = await revokeQueueStats();
  const stale = stats.oldestAt !== null && now().getTime() - stats.oldestAt.getTime() > DAY_MS;
  if (stale)
    await alertOperator(
      "revoke_queue_stale",
      `${stats.size} grant(s) wait to be revoked, the oldest since ${stats.oldestAt?.toISOString()}; npm run revoke-queue shows them`,
    );
  return { ...stats, stale };
}
