import type { ConnectionStatus } from "@prisma/client";
import { formatDate } from "@/lib/format";
import { type ConsentState, consentState } from "./consent-state";

// The one module that says what is true of a connection (decision 055). Pure: stored facts and `now` in, words out.

export type StatusFacts = { state: ConsentState; consentExpiresAt: Date; stoppedAt?: Date | null };
export type StatusTone = "ok" | "warn" | "alert" | "off";

export const STATUS_TONES: Record<ConsentState, StatusTone> = {
  active: "ok",
  expiring: "warn",
  lapsed: "alert",
  needs_bank: "alert",
  revoked: "off",
};

/** Active · Renew by <date> · Paused since <date> · Stopped by you on <date> · Needs your bank */
export function statusLabel({ state, consentExpiresAt, stoppedAt }: StatusFacts): string {
  switch (state) {
    case "active":
      return "Active";
    case "expiring":
      return `Renew by ${formatDate(consentExpiresAt)}`;
    case "lapsed":
      return `Paused since ${formatDate(consentExpiresAt)}`;
    case "needs_bank":
      return "Needs your bank";
    case "revoked":
      return stoppedAt ? `Stopped by you on ${formatDate(stoppedAt)}` : "Stopped by you";
  }
}

export function statusDetail({ state, consentExpiresAt }: StatusFacts, appName: string): string {
  const until = formatDate(consentExpiresAt);
  switch (state) {
    case "active":
      return `Sharing until ${until}.`;
    case "expiring":
      return `Sharing stops on ${until} unless you renew.`;
    case "lapsed":
      return `${appName} can't see this bank's data until you renew. You can still renew here.`;
    case "needs_bank":
      // Not "sharing until": nothing can be read until the bank has seen the user again.
      return `Your bank needs you to confirm it's you before ${appName} can see its data again. Your consent runs until ${until}.`;
    case "revoked":
      return `${appName} no longer sees data from this bank.`;
  }
}

export const sharingFrom = (bank: string) => `sharing from ${bank}`;

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** "Sharing from NatWest: renew by 3 January 2027", for mails and lists. */
export function statusLine(bank: string, facts: StatusFacts): string {
  return `Sharing from ${bank}: ${lowerFirst(statusLabel(facts))}`;
}

export function bankList(banks: string[]): string {
  if (banks.length <= 1) return banks[0] ?? "";
  return `${banks.slice(0, -1).join(", ")} and ${banks.at(-1)}`;
}

type Due = { providerName: string; facts: StatusFacts };

// One clause per kind of due, so each bank sits only beside the words that are true of it.
function clause(due: Due[], words: (times: number[]) => string): string | null {
  if (due.length === 0) return null;
  const banks = bankList([...new Set(due.map((d) => d.providerName))]);
  return `Sharing from ${banks}: ${words(due.map((d) => d.facts.consentExpiresAt.getTime()))}`;
}

/** The banner: every due bank named once, beside what is true of it (deadline, needs the bank, paused since). */
export function dueHeadline(unordered: Due[]): string {
  // Nearest end first, then by name: the words never depend on the order a query returned the rows in.
  const due = [...unordered].sort(
    (x, y) =>
      x.facts.consentExpiresAt.getTime() - y.facts.consentExpiresAt.getTime() ||
      x.providerName.localeCompare(y.providerName),
  );
  const [only] = due;
  if (due.length === 1 && only) return statusLine(only.providerName, only.facts);
  const of = (state: ConsentState) => due.filter((d) => d.facts.state === state);
  return [
    clause(of("expiring"), (t) => `renew by ${formatDate(new Date(Math.min(...t)))}`),
    clause(of("needs_bank"), () => "needs your bank"),
    clause(of("lapsed"), (t) => `paused since ${formatDate(new Date(Math.min(...t)))}`),
  ]
    .filter(Boolean)
    .join(". ");
}

// What we keep of a bank's figures, and for how long: decision 047.

/** The privacy notice's sentence. */
export const BALANCES_KEPT =
  "Of your balances, only the latest current and available balance of each account and when it was read: each read replaces the one before. We erase them as soon as sharing from that bank stops, and with your account.";

export function balancesKeptFor(state: ConsentState): string {
  if (state === "revoked") return "None: erased when sharing from this bank stopped.";
  return "The latest balance read for each account, with when it was read. Each read replaces the one before; erased as soon as sharing from this bank stops.";
}

/** A renewal's result: "Mock UK Bank: sharing continues until 14 February 2027". */
export const sharingContinues = (bank: string, until: Date) =>
  `${bank}: sharing continues until ${formatDate(until)}`;

/** The results page's headline for each other outcome of a "Yes, keep sharing". */
export const RESULT_HEADLINES = {
  at_bank: (bank: string) => `${bank}: your bank needs you to confirm`,
  reconnect: (bank: string) => `${bank}: connect again to keep sharing`,
  failed: (bank: string) => `${bank}: not renewed`,
  // TrueLayer may have renewed it before the answer was lost: "not renewed" would not be known to be true.
  unknown: (bank: string) => `${bank}: we couldn't tell whether it renewed`,
  stopped: (bank: string) => `${bank}: you stopped sharing`,
  in_progress: (bank: string) => `${bank}: still renewing`,
} as const;

export type StoredConnection = {
  providerName: string;
  status: ConnectionStatus;
  consentCreatedAt: Date;
  consentExpiresAt: Date;
  stoppedAt?: Date | null;
};

export type ConnectionWords = {
  state: ConsentState;
  tone: StatusTone;
  /** The card's badge and the history page: "Renew by 3 January 2027". */
  label: string;
  /** The card's sentence: "Sharing stops on 3 January 2027 unless you renew." */
  detail: string;
  /** Banner, reminder mail, "Not now": "Sharing from NatWest: renew by 3 January 2027". */
  line: string;
  /** The reconfirmation screen, beside the bank. */
  access: string;
  /** The data page and its download: "consent from 5 October 2026 to 3 January 2027". */
  period: string;
  kept: string;
};

function period(c: StoredConnection, state: ConsentState): string {
  const from = `consent from ${formatDate(c.consentCreatedAt)}`;
  if (state === "revoked")
    return c.stoppedAt ? `${from} until you stopped it on ${formatDate(c.stoppedAt)}` : from;
  if (state === "lapsed") return `${from}, ended ${formatDate(c.consentExpiresAt)}`;
  return `${from} to ${formatDate(c.consentExpiresAt)}`;
}

export function connectionWords(c: StoredConnection, now: Date, appName: string): ConnectionWords {
  const state = consentState(c, now);
  const facts: StatusFacts = { state, consentExpiresAt: c.consentExpiresAt, stoppedAt: c.stoppedAt };
  const label = statusLabel(facts);
  const detail = statusDetail(facts, appName);
  return {
    state,
    tone: STATUS_TONES[state],
    label,
    detail,
    line: statusLine(c.providerName, facts),
    access: `${label}. ${detail}`,
    period: period(c, state),
    kept: balancesKeptFor(state),
  };
}
