import { formatDate } from "@/lib/format";
import type { ConsentState } from "./consent-state";

// The one set of status words: dashboard, banner, reconfirmation screen, results pages and emails.

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
      return `Your bank needs you to confirm it's you. Sharing until ${until}.`;
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

/**
 * The banner: every due bank named once, beside what is true of it: the nearest deadline of those to renew,
 * the banks that need the user at their bank, and since when sharing is paused.
 */
export function dueHeadline(due: Due[]): string {
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
