import type { ConsentState } from "../consent-state";

// Stored figures older than this are read again when the user looks at them.
export const BALANCES_STALE_MS = 15 * 60 * 1000;

type Readable = {
  scopes: string[];
  balancesCheckedAt: Date | null;
  accounts: { balance: { readAt: number } | null }[];
};

export function readsBalances(state: ConsentState, connection: Pick<Readable, "scopes">): boolean {
  return (state === "active" || state === "expiring") && connection.scopes.includes("balance");
}

export function balancesStale(state: ConsentState, connection: Readable, at: Date): boolean {
  if (!readsBalances(state, connection)) return false;
  const checked = connection.balancesCheckedAt?.getTime();
  return checked === undefined || at.getTime() - checked >= BALANCES_STALE_MS;
}
