import type { ConsentState } from "./consent-state";

// Plain words for what a connection shares and why. The dashboard and the reconfirmation screen both
// read them, so a user sees the same description everywhere.

/** The app that receives the data. */
export const APP_NAME = "Reconsent";

/** Why the data is shared: one sentence, reused wherever we ask for or show consent. */
export const SHARING_PURPOSE = `So ${APP_NAME} can keep your budget up to date.`;

/** The scopes every new connection asks for. */
export const CONNECT_SCOPES = ["info", "accounts", "balance", "offline_access"] as const;

const CLUSTERS: Record<string, string> = {
  info: "Your name and contact details held by the bank",
  accounts: "Account names, numbers and types",
  balance: "Balances",
  transactions: "Transactions",
  cards: "Card details and card balances",
  direct_debits: "Direct debits",
  standing_orders: "Standing orders",
  offline_access: "Access while you are not using the app",
};

/** The data clusters a set of scopes covers, in a stable order; unknown scopes are left out. */
export function describeScopes(scopes: readonly string[]): string[] {
  return Object.keys(CLUSTERS)
    .filter((scope) => scopes.includes(scope))
    .map((scope) => CLUSTERS[scope] as string);
}

export type StateBadge = { label: string; detail?: string; tone: "ok" | "warn" | "alert" | "off" };

export const STATE_BADGES: Record<ConsentState, StateBadge> = {
  active: { label: "Active", tone: "ok" },
  expiring: { label: "Expiring soon", tone: "warn" },
  lapsed: {
    label: "Access paused",
    detail: "Data access stopped — you can still reconfirm",
    tone: "alert",
  },
  needs_bank: { label: "Needs your bank", detail: "Your bank needs you to confirm again", tone: "alert" },
  revoked: { label: "Stopped", tone: "off" },
};

/** "•••• 1234": the last four digits only; full numbers and IBANs are never kept. */
export function maskAccountNumber(number: string | undefined, iban?: string): string | null {
  const digits = (number ?? iban ?? "").replace(/\s+/g, "");
  if (digits.length < 4) return null;
  return `•••• ${digits.slice(-4)}`;
}
