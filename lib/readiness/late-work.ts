import "server-only";
import { now } from "@/lib/clock";
import { overdueReminders } from "@/lib/connections/queries";
import { MAX_ATTEMPTS } from "@/lib/reminders/queries";
import { LAPSED_LOOKBACK_DAYS, THRESHOLDS } from "@/lib/reminders/thresholds";

// A reminder still unsent 2 hours (eight runs) after its moment is late: decision 054 says what we promise.
export const REMINDER_LATE_MS = 2 * 3_600_000;

export type LateReminders = { count: number; oldestDueAt: Date | null };

/** Reminders later than the schedule promises: due over 2 hours ago and not sent (nor given up after retries). */
export function lateReminders(at: Date = now()): Promise<LateReminders> {
  return overdueReminders(at, new Date(at.getTime() - REMINDER_LATE_MS), {
    thresholds: THRESHOLDS,
    lookbackDays: LAPSED_LOOKBACK_DAYS,
    maxAttempts: MAX_ATTEMPTS,
  });
}
