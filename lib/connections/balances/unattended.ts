import "server-only";
import { now } from "@/lib/clock";
import { connectionsDueForScheduledRead, UNATTENDED_READS_PER_DAY } from "../store/balances";
import { readBalances } from "./read";

// Spread over the day: four unattended reads 6 hours apart.
export const SCHEDULED_SPACING_MS = (24 / UNATTENDED_READS_PER_DAY) * 60 * 60 * 1000;
const BATCH = 100;

/**
 * Reads balances without the user present (no X-PSU-IP). The database counts each connection's unattended
 * reads, so however many instances run this, none sends a fifth in 24 hours; lapsed, paused and stopped
 * connections are never read.
 */
export async function runScheduledBalanceReads(options: { deadline: number; spacingMs?: number }) {
  const spacingMs = options.spacingMs ?? SCHEDULED_SPACING_MS;
  const summary = { read: 0, skipped: 0, failed: 0 };
  const seen = new Set<string>();
  while (Date.now() < options.deadline) {
    const ids = (await connectionsDueForScheduledRead(spacingMs, BATCH)).filter((id) => !seen.has(id));
    if (ids.length === 0) break;
    for (const connectionId of ids) {
      if (Date.now() >= options.deadline) break;
      seen.add(connectionId);
      const checkedBefore = new Date(now().getTime() - spacingMs);
      const results = await readBalances({ connectionIds: [connectionId] }, { when: { checkedBefore } });
      const result = results.get(connectionId);
      if (result === "read") summary.read++;
      else if (result === undefined) summary.skipped++;
      else summary.failed++;
    }
  }
  return summary;
}
