// Shared by the dashboard and the reconfirmation screen, so a user sees the same description everywhere.

export const CONNECT_SCOPES = ["info", "accounts", "balance", "offline_access"] as const;

// Part of the consent wording (lib/consent/wording.ts): a change here needs a new wording version.
export const CLUSTERS: Record<string, string> = {
  info: "Your name and contact details held by the bank",
  accounts: "Account names, numbers and types",
  balance: "Balances",
  transactions: "Transactions",
  cards: "Card details and card balances",
  direct_debits: "Direct debits",
  standing_orders: "Standing orders",
  offline_access: "Access while you are not using the app",
};

export function describeScopes(scopes: readonly string[]): string[] {
  return Object.keys(CLUSTERS)
    .filter((scope) => scopes.includes(scope))
    .map((scope) => CLUSTERS[scope] as string);
}

const ACCOUNT_KINDS: Record<string, string> = {
  TRANSACTION: "Current account",
  SAVINGS: "Savings account",
  BUSINESS_TRANSACTION: "Business account",
  BUSINESS_SAVINGS: "Business savings account",
};

export const accountKind = (accountType: string) => ACCOUNT_KINDS[accountType] ?? accountType;

export function fallbackAccountName(accountType: string | undefined, masked: string | null): string {
  const kind = (accountType && ACCOUNT_KINDS[accountType]) ?? "Account";
  return masked ? `${kind} ending ${masked.slice(-4)}` : `${kind} (no name from your bank)`;
}

// Full numbers and IBANs are never kept.
export function maskAccountNumber(number: string | undefined, iban?: string): string | null {
  const digits = (number ?? iban ?? "").replace(/\s+/g, "");
  if (digits.length < 4) return null;
  return `•••• ${digits.slice(-4)}`;
}
