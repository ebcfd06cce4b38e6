import "server-only";
import { now } from "@/lib/clock";
import { connectionsDueForScheduledRead, DAY_MS } from "../store/balances";
import { readBalances } from "./read";

// Once a day, for users seen in the last fortnight, though the law allows four: decision 061 says why.
export const SCHEDULED_SPACING_MS = DAY_MS;
export const READ_FOR_USERS_SEEN_WITHIN_MS = 14 * DAY_MS;
const BATCH = 100;
// Each read waits on TrueLayer for three calls (a refresh and two balances, typically): more in flight, not faster code.
const CONCURRENCY = 32;

export type ScheduledReadSummary = { read: number; skipped: number; failed: number; finished: boolean };

/** No X-PSU-IP; each read claimed by a counting statement, so across instances a due connection is read once, none
 * over four times in 24 h, lapsed/paused/declined/stopped never. Stops at the deadline; the next run resumes. */
export async function runScheduledBalanceReads(options: {
  deadline: number;
  spacingMs?: number;
}): Promise<ScheduledReadSummary> {
  const spacingMs = options.spacingMs ?? SCHEDULED_SPACING_MS;
  const summary: ScheduledReadSummary = { read: 0, skipped: 0, failed: 0, finished: false };
  let after = "";
  while (Date.now() < options.deadline) {
    const seenSince = new Date(now().getTime() - READ_FOR_USERS_SEEN_WITHIN_MS);
    const ids = await connectionsDueForScheduledRead(spacingMs, seenSince, BATCH, after);
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id && Date.now() < options.deadline; id = queue.shift()) {
        const checkedBefore = new Date(now().getTime() - spacingMs);
        const result = (await readBalances({ connectionIds: [id] }, { when: { checkedBefore } })).get(id);
        if (result === "read") summary.read++;
        else if (result === undefined) summary.skipped++;
        else summary.failed++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (queue.length > 0) break;
    if (ids.length < BATCH) {
      summary.finished = true;
      break;
    }
    after = ids[ids.length - 1] ?? after;
  }
  return summary;
}
