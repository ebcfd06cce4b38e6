import "server-only";
import { now } from "@/lib/clock";
import { overdueReminders } from "@/lib/connections/queries";
import { MAX_ATTEMPTS } from "@/lib/reminders/queries";
import { LAPSED_LOOKBACK_DAYS, THRESHOLDS } from "@/lib/reminders/thresholds";

// What we promise (README, Settings, decision 011): a reminder 14, 7 and 1 days before consent ends and once after,
// by a daily job. A day's wait for the next run is the schedule; a reminder still unsent 26 hours after its moment
// (a day plus the platform's jitter and a retried run) is late.
export const REMINDER_LATE_MS = 26 * 3_600_000;

export type LateReminders = { count: number; oldestDueAt: Date | null };

/** Reminders later than the schedule promises: due over 26 hours ago and not sent (nor given up after retries). */
export function lateReminders(at: Date = now()): Promise<LateReminders> {
  return overdueReminders(at, new Date(at.getTime() - REMINDER_LATE_MS), {
    thresholds: THRESHOLDS,
    lookbackDays: LAPSED_LOOKBACK_DAYS,
    maxAttempts: MAX_ATTEMPTS,
  });
}
