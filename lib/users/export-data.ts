import "server-only";
import type { ConnectionEventType, ConnectionStatus } from "@prisma/client";
import { brand } from "@/lib/brand";
import { now } from "@/lib/clock";
import { eventTitle } from "@/lib/connections/history-entries";
import { connectionsForExport, consentRecordsOf, type ExportedConnection } from "@/lib/connections/queries";
import { connectionWords, type StoredConnection } from "@/lib/connections/status-words";
import {
  type ReconfirmCopy,
  rebuildWording,
  type StoredParameters,
  type WordingAccount,
} from "@/lib/consent/wording";
import { db } from "@/lib/db";
import { funnelEventsOf } from "@/lib/funnel/queries";
import { remindersOf } from "@/lib/reminders/queries";

// All held about one user (UK GDPR Art. 15, 20), for download and page; never a token, token hash, session or secret
// (the test scans for them).

export type ConsentEntry = {
  at: string;
  banks: { bank: string | null; scopes: string[] }[];
  outcomes: { bank: string | null; outcome: string; said: string; reason: string | null; at: string }[];
  wordingVersion: number | null;
  wording: ReconfirmCopy | null;
  /** SHA-256 of the canonical JSON of `wording`: the same value our records hold. */
  wordingHash: string;
};

export type DataExport = {
  exportedAt: string;
  profile: { name: string | null; email: string | null; createdAt: string; role: string };
  preferences: { reminderEmails: boolean };
  /** `status`, `consent` and each event's `said` are the words every page says, never the stored flag. */
  connections: (Omit<ExportedConnection, "status" | "history"> & {
    status: string;
    consent: string;
    balances: string;
    history: (ExportedConnection["history"][number] & { said: string })[];
  })[];
  consentHistory: ConsentEntry[];
  remindersSent: {
    bank: string;
    consentEndsAt: string;
    daysBefore: number;
    status: string;
    sentAt: string | null;
  }[];
  activity: { step: string; bank: string | null; at: string }[];
};

const said = (type: string, until: string | null) =>
  eventTitle({ type: type as ConnectionEventType, consentExpiresAt: until ? new Date(until) : null }) ?? type;

function storedFacts(c: ExportedConnection): StoredConnection {
  const stopped = c.history.findLast((e) => e.type === "REVOKED");
  return {
    providerName: c.bank,
    status: c.status as ConnectionStatus,
    consentCreatedAt: new Date(c.consentCreatedAt),
    consentExpiresAt: new Date(c.consentExpiresAt),
    stoppedAt: stopped ? new Date(stopped.at) : null,
  };
}

export async function exportUserData(userId: string): Promise<DataExport | null> {
  const [user, connections, records, reminders, funnel] = await Promise.all([
    db().user.findUnique({
      where: { id: userId },
      select: { name: true, email: true, createdAt: true, role: true, remindersEnabled: true },
    }),
    connectionsForExport(userId),
    consentRecordsOf(userId),
    remindersOf(userId),
    funnelEventsOf(userId),
  ]);
  if (!user) return null;
  const bankOf = new Map(connections.map((c) => [c.id, c.bank]));
  const at = now();
  return {
    exportedAt: at.toISOString(),
    profile: { name: user.name, email: user.email, createdAt: user.createdAt.toISOString(), role: user.role },
    preferences: { reminderEmails: user.remindersEnabled },
    connections: connections.map((c) => {
      const words = connectionWords(storedFacts(c), at, brand().appName);
      const history = c.history.map((e) => ({ ...e, said: said(e.type, e.consentExpiresAt) }));
      return { ...c, status: words.label, consent: words.period, balances: words.kept, history };
    }),
    consentHistory: records.map((r) => {
      const wording =
        r.template && r.parameters
          ? rebuildWording(
              r.template,
              r.parameters as StoredParameters,
              (r.accounts ?? null) as Record<string, WordingAccount[]> | null,
            )
          : null;
      const bank = (id: string) => r.items.find((i) => i.connectionId === id)?.bank ?? bankOf.get(id) ?? null;
      return {
        at: r.createdAt,
        banks: r.items.map((i) => ({ bank: i.bank, scopes: i.scopes })),
        outcomes: r.outcomes.map((o) => ({
          bank: bank(o.connectionId),
          outcome: o.type,
          said: said(o.type, null),
          reason: o.reason,
          at: o.at,
        })),
        wordingVersion: r.wordingVersion,
        wording,
        wordingHash: r.copyHash,
      };
    }),
    remindersSent: reminders.map((r) => ({
      bank: bankOf.get(r.connectionId) ?? "",
      consentEndsAt: r.consentExpiresAt.toISOString(),
      daysBefore: r.threshold,
      status: r.status,
      sentAt: r.sentAt?.toISOString() ?? null,
    })),
    activity: funnel.map((f) => ({
      step: f.step,
      bank: (f.connectionId && bankOf.get(f.connectionId)) || null,
      at: f.createdAt.toISOString(),
    })),
  };
}
