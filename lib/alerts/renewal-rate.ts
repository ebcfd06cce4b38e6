import "server-only";
import { now } from "@/lib/clock";
import { countRenewalResults } from "@/lib/connections/queries";
import { env } from "@/lib/env";
import { alertOperator } from "@/lib/operator-alert";

// Issue 28's renewal failure rate: FAILED among the last hour's renewal results, one alert an hour (decision 054).
export const RENEWAL_RATE_WINDOW_MS = 3_600_000;
export const RENEWAL_ALERT_DEFAULTS = { failurePercent: 20, minResults: 20 } as const;
const THROTTLE_MS = 60_000;

export type RenewalRate = { results: number; failed: number; overThreshold: boolean };

export async function checkRenewalFailureRate(): Promise<RenewalRate> {
  const percent = env().RENEWAL_ALERT_FAILURE_PERCENT ?? RENEWAL_ALERT_DEFAULTS.failurePercent;
  const minResults = env().RENEWAL_ALERT_MIN_RESULTS ?? RENEWAL_ALERT_DEFAULTS.minResults;
  const { results, failed } = await countRenewalResults(new Date(now().getTime() - RENEWAL_RATE_WINDOW_MS));
  const overThreshold = results >= minResults && failed * 100 >= percent * results;
  if (overThreshold)
    await alertOperator(
      "renewal_failure_rate",
      `${failed} of the last hour's ${results} renewal results failed (the alert is at ${percent}% of ${minResults} or more); the JSON log lines renewal.extend_failed say why`,
    );
  return { results, failed, overThreshold };
}

let checkedAt = Number.NEGATIVE_INFINITY;

/** After a failed renewal: the same check, at most once a minute per server, never throwing into the user's flow. */
export async function checkRenewalFailureRateSoon(): Promise<void> {
  const at = now().getTime();
  if (at - checkedAt < THROTTLE_MS && at >= checkedAt) return;
  checkedAt = at;
  try {
    await checkRenewalFailureRate();
  } catch {
    // The scheduled job and readiness check again.
  }
}
