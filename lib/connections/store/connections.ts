import "server-only";
import { type ConnectionStatus, Prisma } from "@prisma/client";
import { cache } from "react";
import { addDays } from "@/lib/clock";
import { fromUtcTimestamp, sql } from "@/lib/db";
import { consentState, EXPIRING_SOON_DAYS, isDue } from "../consent-state";
import type { BankSnapshot } from "../custody/snapshot";

export type { BankSnapshot };

// Reads only: every write to a connection is a custody transition (lib/connections/custody).

export type StoredAccount = {
  id: string;
  truelayerAccountId: string;
  displayName: string;
  accountType: string;
  maskedNumber: string | null;
  // The last figures read (decimal strings, readAt in epoch ms), kept when access pauses.
  balance: { current: string; available: string; currency: string; readAt: number } | null;
};

/** What pages and workflows see of a connection: never its tokens. */
export type ConnectionRow = {
  id: string;
  userId: string;
  providerId: string;
  providerName: string;
  providerLogoUrl: string | null;
  credentialsId: string | null;
  scopes: string[];
  status: ConnectionStatus;
  statusReason: string | null;
  consentCreatedAt: Date;
  consentExpiresAt: Date;
  version: number;
  balancesCheckedAt: Date | null;
  accounts: StoredAccount[];
  /** Its latest renewal attempt went through the bank (authentication_needed): the next one likely will too. */
  bankAskedLast: boolean;
  renewedAt: Date | null;
  /** A lost answer left a live grant at TrueLayer that we cannot reach: the user is told to stop it at their bank. */
  grantLostAt: Date | null;
};

export const accountsJson = Prisma.sql`
    COALESCE((
      SELECT json_agg(json_build_object('id', a."id", 'truelayerAccountId', a."truelayerAccountId",
        'displayName', a."displayName", 'accountType', a."accountType", 'maskedNumber', a."maskedNumber",
        'balance', CASE WHEN a."balanceReadAt" IS NULL THEN NULL ELSE json_build_object(
          'current', a."balanceCurrent"::text, 'available', a."balanceAvailable"::text,
          'currency', a."balanceCurrency", 'readAt', floor(extract(epoch FROM a."balanceReadAt") * 1000)) END)
        ORDER BY a."createdAt", a."id")
      FROM "BankAccount" a WHERE a."connectionId" = c."id"
    ), '[]'::json)`;

export const connectionRows = (
  where: Prisma.Sql,
  also: { columns: Prisma.Sql; join: Prisma.Sql } | null = null,
) =>
  Prisma.sql`
  SELECT c."id", c."userId", c."providerId", c."providerName", c."providerLogoUrl", c."credentialsId",
    c."scopes", c."status"::text AS "status", c."statusReason", c."consentCreatedAt", c."consentExpiresAt",
    c."version", c."balancesCheckedAt", ${accountsJson} AS "accounts", c."bankAskedLast", c."renewedAt",
    c."grantLostAt"${also ? Prisma.sql`, ${also.columns}` : Prisma.empty}
  FROM "Connection" c${also ? also.join : Prisma.empty}
  WHERE ${where}`;

export function fromJsonRow(
  row: Omit<
    ConnectionRow,
    "consentCreatedAt" | "consentExpiresAt" | "renewedAt" | "balancesCheckedAt" | "grantLostAt"
  > & {
    consentCreatedAt: string;
    consentExpiresAt: string;
    renewedAt: string | null;
    balancesCheckedAt: string | null;
    grantLostAt: string | null;
  },
): ConnectionRow {
  const at = (value: string | null) => (value ? fromUtcTimestamp(value) : null);
  return {
    ...row,
    consentCreatedAt: fromUtcTimestamp(row.consentCreatedAt),
    consentExpiresAt: fromUtcTimestamp(row.consentExpiresAt),
    renewedAt: at(row.renewedAt),
    balancesCheckedAt: at(row.balancesCheckedAt),
    grantLostAt: at(row.grantLostAt),
  };
}

type Milestones = { lastReconfirmedAt: Date | null; stoppedAt: Date | null };

const milestoneJoin = Prisma.sql`
  LEFT JOIN LATERAL (
    SELECT max(e."createdAt") FILTER (WHERE e."type" IN ('EXTENDED', 'COMPLETED_AT_BANK')) AS "lastReconfirmedAt",
      max(e."createdAt") FILTER (WHERE e."type" = 'REVOKED') AS "stoppedAt"
    FROM "ConnectionEvent" e
    WHERE e."connectionId" = c."id" AND e."type" IN ('EXTENDED', 'COMPLETED_AT_BANK', 'REVOKED')
  ) m ON true`;

// Once per render (React cache; actions, jobs read per call): dashboard, milestones (connectionMilestones) and banner
// share one statement. Callers never change them.
const userConnections = cache(async (userId: string) => {
  const milestones = { columns: Prisma.sql`m."lastReconfirmedAt", m."stoppedAt"`, join: milestoneJoin };
  const { rows } = await sql<ConnectionRow & Milestones>(
    Prisma.sql`${connectionRows(Prisma.sql`c."userId" = ${userId}`, milestones)} ORDER BY c."createdAt" DESC, c."id"`,
  );
  const byId = new Map<string, Milestones>();
  const connections = rows.map(({ lastReconfirmedAt, stoppedAt, ...row }) => {
    if (lastReconfirmedAt || stoppedAt) byId.set(row.id, { lastReconfirmedAt, stoppedAt });
    return row;
  });
  return { connections, milestones: byId };
});

export async function getConnectionsForUser(userId: string): Promise<ConnectionRow[]> {
  return (await userConnections(userId)).connections;
}

export async function milestonesOfUserConnections(userId: string): Promise<Map<string, Milestones>> {
  return (await userConnections(userId)).milestones;
}

// Connections of other users are simply missing from the answer.
export async function getUserConnections(userId: string, ids: string[]): Promise<ConnectionRow[]> {
  const { rows } = await sql<ConnectionRow>(
    Prisma.sql`${connectionRows(Prisma.sql`c."userId" = ${userId} AND c."id" = ANY(${ids}::text[])`)}
      ORDER BY c."providerName", c."id"`,
  );
  return rows;
}

export async function getConnectionForUser(id: string, userId: string): Promise<ConnectionRow | null> {
  return (await getUserConnections(userId, [id]))[0] ?? null;
}

// consentState() alone judges what is due, from the connections as the page read them; soonest end first.
export async function dueFor(userId: string, at: Date): Promise<ConnectionRow[]> {
  const soon = addDays(at, EXPIRING_SOON_DAYS);
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return (await getConnectionsForUser(userId))
    .filter(
      (row) =>
        (row.status === "NEEDS_BANK_AUTH" || (row.status === "ACTIVE" && row.consentExpiresAt <= soon)) &&
        isDue(consentState(row, at)),
    )
    .sort(
      (a, b) =>
        a.consentExpiresAt.getTime() - b.consentExpiresAt.getTime() ||
        text(a.providerName, b.providerName) ||
        text(a.id, b.id),
    );
}

/** The live connection a connect's answer replaces (the one a reconnect named, else the same credentials at
 * TrueLayer, else the same bank and accounts): one SQL judge, alone and inside custody/create.ts's statement. */
export function replaceableStatement(userId: string, snapshot: BankSnapshot, namedId?: string): Prisma.Sql {
  const named = namedId ?? null;
  const wanted = snapshot.accounts.map((a) => a.truelayerAccountId).sort();
  return Prisma.sql`
    SELECT c."id" FROM "Connection" c
    WHERE c."userId" = ${userId} AND c."status" <> 'REVOKED'
      AND (c."id" = ${named} OR c."credentialsId" = ${snapshot.credentialsId}
        OR (c."providerId" = ${snapshot.providerId} AND ARRAY(SELECT a."truelayerAccountId" FROM "BankAccount" a
          WHERE a."connectionId" = c."id" ORDER BY a."truelayerAccountId" COLLATE "C") = ${wanted}::text[]))
    ORDER BY (c."id" = ${named}) IS TRUE DESC, (c."credentialsId" = ${snapshot.credentialsId}) IS TRUE DESC, c."id"
    LIMIT 1`;
}

export async function findConnectionToReplace(userId: string, snapshot: BankSnapshot, namedId?: string) {
  const { rows } = await sql<ConnectionRow>(
    connectionRows(Prisma.sql`c."id" = (${replaceableStatement(userId, snapshot, namedId)})`),
  );
  return rows[0] ?? null;
}

export async function credentialsHolder(
  credentialsId: string,
): Promise<{ id: string; userId: string } | null> {
  const { rows } = await sql<{ id: string; userId: string }>(Prisma.sql`
    SELECT "id", "userId" FROM "Connection" WHERE "credentialsId" = ${credentialsId} AND "status" <> 'REVOKED'
    ORDER BY "createdAt" DESC LIMIT 1`);
  return rows[0] ?? null;
}

export type ReminderCandidate = {
  id: string;
  userId: string;
  providerId: string;
  providerName: string;
  consentExpiresAt: Date;
  status: ConnectionStatus;
  user: { email: string | null };
};

type Window = { from: Date; to: Date };
export type ReminderRules = { thresholds: readonly number[]; maxAttempts: number };
type Owed = { at: Date; rules: ReminderRules };

const reachedThreshold = (at: Date, thresholds: readonly number[]) => Prisma.sql`
  CASE WHEN c."consentExpiresAt" <= ${at}::timestamp(3) THEN 0
    ELSE (SELECT min(d) FROM unnest(${[...thresholds]}::int[]) d
      WHERE c."consentExpiresAt" <= ${at}::timestamp(3) + make_interval(days => d)) END`;

// Owed: no reminder row for the threshold reached (as thresholdFor) that is sent, claimed or given up.
const owedAt = (at: Date, rules: ReminderRules) => Prisma.sql`
  NOT EXISTS (SELECT 1 FROM "Reminder" r WHERE r."connectionId" = c."id"
    AND r."consentExpiresAt" = c."consentExpiresAt" AND r."threshold" = ${reachedThreshold(at, rules.thresholds)}
    AND (r."status" <> 'FAILED' OR r."attempts" >= ${rules.maxAttempts}::int))`;

const reminderCandidates = (window: Window, more: Prisma.Sql, owed?: Owed) => Prisma.sql`
  SELECT c."id", c."userId", c."providerId", c."providerName", c."consentExpiresAt", c."status"::text AS "status",
    json_build_object('email', u."email") AS "user"
  FROM "Connection" c JOIN "User" u ON u."id" = c."userId"
  WHERE c."consentExpiresAt" > ${window.from}::timestamp(3) AND c."consentExpiresAt" <= ${window.to}::timestamp(3)
    AND c."status" <> 'REVOKED' AND u."remindersEnabled" AND u."email" IS NOT NULL
    ${owed ? Prisma.sql`AND ${owedAt(owed.at, owed.rules)}` : Prisma.empty} ${more}`;

// With `owed`, only those owed: a mailed one stays in the window for days, and re-claiming it each run was most of it.
export async function reminderCandidatesPage(
  window: Window,
  after: { consentExpiresAt: Date; id: string } | undefined,
  take: number,
  owed?: Owed,
): Promise<ReminderCandidate[]> {
  const keyset = after
    ? Prisma.sql`AND (c."consentExpiresAt", c."id") > (${after.consentExpiresAt}::timestamp(3), ${after.id})`
    : Prisma.empty;
  const { rows } = await sql<ReminderCandidate>(
    Prisma.sql`${reminderCandidates(window, keyset, owed)} ORDER BY c."consentExpiresAt", c."id" LIMIT ${take}`,
  );
  return rows;
}

/** All connections in the window of these users, so each user's mail covers every due bank. */
export async function reminderCandidatesOfUsers(
  window: Window,
  userIds: string[],
  owed?: Owed,
): Promise<ReminderCandidate[]> {
  const { rows } = await sql<ReminderCandidate>(
    reminderCandidates(window, Prisma.sql`AND c."userId" = ANY(${userIds}::text[])`, owed),
  );
  return rows;
}

export async function lapsedPerProvider(
  since: Date,
  until: Date,
): Promise<{ providerId: string; count: number }[]> {
  const { rows } = await sql<{ providerId: string; count: number }>(Prisma.sql`
    SELECT "providerId", count(*)::int AS "count" FROM "Connection"
    WHERE "consentExpiresAt" > ${since}::timestamp(3) AND "consentExpiresAt" <= ${until}::timestamp(3)
      AND "status" <> 'REVOKED'
    GROUP BY "providerId"`);
  return rows;
}

export async function providerNames(providerIds: string[]): Promise<Map<string, string>> {
  const { rows } = await sql<{ providerId: string; providerName: string }>(Prisma.sql`
    SELECT DISTINCT ON ("providerId") "providerId", "providerName" FROM "Connection"
    WHERE "providerId" = ANY(${providerIds}::text[]) ORDER BY "providerId", "createdAt" DESC`);
  return new Map(rows.map((r) => [r.providerId, r.providerName]));
}

export async function hasConnections(userId: string): Promise<boolean> {
  const { rows } = await sql(Prisma.sql`SELECT 1 FROM "Connection" WHERE "userId" = ${userId} LIMIT 1`);
  return rows.length > 0;
}

/** Passive, never calling TrueLayer: every successful token call stores an access token that runs for an hour. */
export async function lastTrueLayerSuccessAt(): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>(
    Prisma.sql`SELECT max("accessTokenExpiresAt") - interval '1 hour' AS "at" FROM "Connection"`,
  );
  return rows[0]?.at ?? null;
}

/** Overdue since before `lateBefore`: of what a run mails now, the tightest threshold reached, due at its moment (or
 * cycle start or last renewal, if later), none sent, claimed or given up. An expiry-index range: job, not probe. */
export async function overdueReminders(
  at: Date,
  lateBefore: Date,
  rules: { thresholds: readonly number[]; lookbackDays: number; maxAttempts: number },
): Promise<{ count: number; oldestDueAt: Date | null }> {
  const ahead = Math.max(...rules.thresholds);
  const { rows } = await sql<{ count: number; oldestDueAt: Date | null }>(Prisma.sql`
    WITH due AS (
      SELECT c."id", c."consentExpiresAt", t."threshold",
        GREATEST(c."consentExpiresAt" - make_interval(days => t."threshold"), c."consentCreatedAt", c."createdAt",
          COALESCE(c."renewedAt", c."createdAt")) AS "dueAt"
      FROM "Connection" c JOIN "User" u ON u."id" = c."userId"
      CROSS JOIN LATERAL (SELECT ${reachedThreshold(at, rules.thresholds)} AS "threshold") t
      WHERE c."consentExpiresAt" > ${at}::timestamp(3) - make_interval(days => ${rules.lookbackDays}::int)
        AND c."consentExpiresAt" <= ${at}::timestamp(3) + make_interval(days => ${ahead}::int)
        AND c."status" <> 'REVOKED' AND u."remindersEnabled" AND u."email" IS NOT NULL
    )
    SELECT count(*)::int AS "count", min(d."dueAt") AS "oldestDueAt" FROM due d
    WHERE d."dueAt" < ${lateBefore}::timestamp(3)
      AND NOT EXISTS (SELECT 1 FROM "Reminder" r WHERE r."connectionId" = d."id"
        AND r."consentExpiresAt" = d."consentExpiresAt" AND r."threshold" = d."threshold"
        AND (r."status" <> 'FAILED' OR r."attempts" >= ${rules.maxAttempts}::int))`);
  return rows[0] ?? { count: 0, oldestDueAt: null };
}
