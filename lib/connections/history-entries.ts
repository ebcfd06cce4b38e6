import type { ConnectionEventType } from "@prisma/client";
import { rebuildWording, type StoredParameters, type WordingAccount } from "@/lib/consent/wording";
import { formatDate } from "@/lib/format";
import type { StoredConsentRecord } from "./store/export";
import type { HistoryEvent } from "./store/history";

// A connection's history as the user reads it: pure, from its events and consent records.

export type SeenWording = {
  version: number | null;
  heading: string;
  summary: string;
  points: { title: string; body: string }[];
  accounts: string[];
  data: string[];
};

export type HistoryEntry = {
  at: Date;
  title: string;
  detail?: string;
  /** Reconfirmations only: the words the user saw, rebuilt from the stored template, or null. */
  wording?: SeenWording | null;
};

const STOP_DETAIL: Record<string, string> = {
  truelayer_unreachable:
    "TrueLayer hadn't confirmed the end at the time: we keep trying to end the access there, then delete our copy.",
  answer_lost:
    "An earlier answer from TrueLayer never reached us, so we couldn't end the access there: withdraw it at your bank.",
};

/** What the history page calls an event; the data page and the download say the same. */
export function eventTitle(e: { type: ConnectionEventType; consentExpiresAt: Date | null }): string {
  const until = e.consentExpiresAt ? ` until ${formatDate(e.consentExpiresAt)}` : "";
  const titles: Record<ConnectionEventType, string> = {
    CONNECTED: "Connected",
    RECONNECTED: "Connected again",
    EXTENDED: `Renewed${until}`,
    SENT_TO_BANK: "Sent to your bank to confirm",
    COMPLETED_AT_BANK: `Confirmed at your bank, renewed${until}`,
    DECLINED: "You said no to renewing",
    FAILED: "Renewal didn't go through",
    REVOKED: "Stopped by you",
    CANCELLED_AT_BANK: "You cancelled at your bank: nothing was renewed",
  };
  return titles[e.type];
}

function eventEntry(e: HistoryEvent): HistoryEntry | null {
  const until = e.consentExpiresAt ? ` until ${formatDate(e.consentExpiresAt)}` : "";
  const detail =
    e.type === "REVOKED"
      ? STOP_DETAIL[e.reason ?? ""]
      : e.type === "CONNECTED" || e.type === "RECONNECTED"
        ? until && `Sharing${until}`
        : undefined;
  return { at: e.createdAt, title: eventTitle(e), ...(detail ? { detail } : {}) };
}

function seenWording(record: StoredConsentRecord, connectionId: string): SeenWording | null {
  if (!record.template || !record.parameters) return null;
  const copy = rebuildWording(
    record.template,
    record.parameters as StoredParameters,
    (record.accounts ?? null) as Record<string, WordingAccount[]> | null,
  );
  if (!copy) return null;
  const bank = copy.banks.find((b) => b.connectionId === connectionId);
  return {
    version: record.wordingVersion,
    heading: copy.heading,
    summary: copy.summary,
    points: copy.points,
    accounts: bank?.accounts ?? [],
    data: bank?.data ?? [],
  };
}

const parse = (value: string) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);

/** Oldest first; a consent that ran out before the next renewal shows as paused on its end date. */
export function buildHistory(
  connection: { id: string; consentExpiresAt: Date; status: string },
  events: HistoryEvent[],
  records: StoredConsentRecord[],
  now: Date,
): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let expiry: Date | null = null;
  const pausedIfPast = (before: Date) => {
    if (expiry && expiry < before) {
      entries.push({ at: expiry, title: "Paused", detail: "The 90 days you agreed to ended." });
      expiry = null;
    }
  };
  for (const e of events) {
    pausedIfPast(e.createdAt);
    const entry = eventEntry(e);
    if (entry) entries.push(entry);
    if (e.type === "REVOKED") expiry = null;
    else if (e.consentExpiresAt) expiry = e.consentExpiresAt;
  }
  if (connection.status !== "REVOKED") pausedIfPast(now);
  for (const record of records) {
    entries.push({
      at: parse(record.createdAt),
      title: "You reconfirmed",
      wording: seenWording(record, connection.id),
    });
  }
  // A record is written just before its outcome events, so a stable sort by time keeps that order.
  return entries
    .map((entry, n) => ({ entry, n, rank: entry.title === "You reconfirmed" ? 0 : 1 }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.rank - b.rank || a.n - b.n)
    .map((x) => x.entry);
}
