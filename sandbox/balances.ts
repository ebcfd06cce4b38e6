import { sha256 } from "./secrets";
import type { Account, Connection } from "./state";
import { DAY_MS } from "./store";

const HOUR_MS = 3600 * 1000;
/** UK/EU RTS Art 36(5)(b): without the user present, at most four requests per 24 hours. */
export const UNATTENDED_LIMIT = 4;

/** A stable number in [0, 1) from a string. */
function unit(key: string): number {
  return Number.parseInt(sha256(key).slice(0, 8), 16) / 0x1_0000_0000;
}

const pennies = (value: number) => Math.round(value * 100) / 100;

/**
 * The balance in the connection's current simulated hour: the account's opening figures plus a drift that
 * is 0 in the first hour and then moves every hour. It is keyed on the account number, not the id, so it
 * survives an account-id change after re-authentication.
 */
export function balanceAt(conn: Connection, account: Account, now: number) {
  const opened = conn.createdAt ?? conn.consentCreatedAt;
  const hour = Math.max(0, Math.floor((now - opened) / HOUR_MS));
  const key = `${account.sortCode}${account.number}`;
  const amplitude = 20 + unit(`${key}:amplitude`) * 180;
  const phase = unit(`${key}:phase`) * 2 * Math.PI;
  const drift = amplitude * (Math.sin(phase + hour * 0.7) - Math.sin(phase));
  return {
    currency: "GBP",
    // An account with nothing available (a fixed-rate ISA) stays that way.
    available: account.available === 0 ? 0 : pennies(account.available + drift),
    current: pennies(account.current + drift),
    ...(account.overdraft === undefined ? {} : { overdraft: account.overdraft }),
    update_timestamp: new Date(opened + hour * HOUR_MS).toISOString(),
  };
}

/**
 * Counts an unattended (no X-PSU-IP) balance call for one account of one connection. Returns the seconds
 * until the oldest counted call leaves the 24-hour window when the limit is already used up, else
 * undefined (and the call is counted). Refused calls are not counted.
 */
export function takeUnattendedCall(conn: Connection, accountId: string, now: number): number | undefined {
  const recent = (conn.unattendedBalanceCalls?.[accountId] ?? []).filter((t) => now - t < DAY_MS);
  const oldest = recent[0];
  if (recent.length >= UNATTENDED_LIMIT && oldest !== undefined) {
    return Math.max(1, Math.ceil((oldest + DAY_MS - now) / 1000));
  }
  conn.unattendedBalanceCalls = { ...conn.unattendedBalanceCalls, [accountId]: [...recent, now] };
  return undefined;
}
