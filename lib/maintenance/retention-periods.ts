// How long each kind of row is kept: docs/decisions/024-retention.md says why.
const DAY_MS = 24 * 60 * 60 * 1000;

export const RETENTION = {
  consentRecords: {
    days: 6 * 365 + 2,
    what: "reconfirmations, their items, outcomes and wording parameters",
  },
  connectionEvents: { days: 2 * 365 + 1, what: "connection history events" },
  rateLimits: { days: 1, what: "rate-limit windows (counted from the window's start)" },
  authStates: { days: 1, what: "bank-trip states, counted from when they were used or expired" },
  codeExchanges: { days: 30, what: "exchanged authorisation codes and their outcomes" },
  securityEvents: { days: 365, what: "security events of an account (decision 042)" },
  anonymousSecurityEvents: { days: 90, what: "security events that name no account (decision 042)" },
} as const;

export const cutoff = (at: Date, kind: keyof typeof RETENTION) =>
  new Date(at.getTime() - RETENTION[kind].days * DAY_MS);
