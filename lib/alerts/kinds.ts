// What an operator is alerted to, and how long one alert stands for every repeat (decision 051).
const HOUR = 3_600_000;

export const ALERT_KINDS = {
  credentials_refused: { windowMs: HOUR, title: "TrueLayer refused our client credentials" },
  configuration_refused: { windowMs: HOUR, title: "TrueLayer refused our client configuration" },
  consent_screen_not_reviewed: {
    windowMs: HOUR,
    title: "Renewals need the bank: TrueLayer has not enabled extend for us",
  },
  renewal_failure_rate: {
    windowMs: HOUR,
    title: "Renewals are failing: the last hour's failure rate is over the threshold",
  },
  revoke_queue_stale: { windowMs: 24 * HOUR, title: "Grants have waited more than a day to be revoked" },
  work_late: { windowMs: 24 * HOUR, title: "The scheduled job left work late" },
  token_key_missing: { windowMs: 24 * HOUR, title: "A stored grant is sealed with a key we no longer have" },
} as const;

export type AlertKind = keyof typeof ALERT_KINDS;

/** The window `at` falls in: every raise of a kind within it is the same alert, counted. */
export function windowStart(kind: AlertKind, at: Date): Date {
  const size = ALERT_KINDS[kind].windowMs;
  return new Date(Math.floor(at.getTime() / size) * size);
}
