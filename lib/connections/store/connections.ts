import "server-only";
import { type ConnectionStatus, Prisma, type PrismaClient } from "@prisma/client";
import { addDays, now } from "@/lib/clock";
import { fromUtcTimestamp, type Sql, sql, transaction } from "@/lib/db";
import { newId } from "@/lib/ids";
import { consentState, EXPIRING_SOON_DAYS, isDue } from "../consent-state";
import { appendEvent, insertEventStatement } from "./events";
import { type Settlement, settleStatement } from "./exchanges";
import { casStatement, complete, type Lease, LostLeaseError } from "./lease";

// Every statement is SQL of our own (docs/decisions/020-connection-store.md); writes keep the version's
// compare-and-set (lease.ts) or happen in one transaction with their event.

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
  /** When it was last renewed or reconnected, if ever. */
  renewedAt: Date | null;
};

// The accounts of `c`, each with its last balance: StoredAccount[].
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

export const connectionRows = (where: Prisma.Sql) => Prisma.sql`
  SELECT c."id", c."userId", c."providerId", c."providerName", c."providerLogoUrl", c."credentialsId",
    c."scopes", c."status"::text AS "status", c."statusReason", c."consentCreatedAt", c."consentExpiresAt",
    c."version", c."balancesCheckedAt",
    ${accountsJson} AS "accounts",
    COALESCE((
      SELECT e."type" IN ('SENT_TO_BANK', 'COMPLETED_AT_BANK') FROM "ConnectionEvent" e
      WHERE e."connectionId" = c."id" AND e."type" IN ('EXTENDED', 'SENT_TO_BANK', 'COMPLETED_AT_BANK')
      ORDER BY e."createdAt" DESC, e."id" DESC LIMIT 1
    ), false) AS "bankAskedLast",
    (SELECT max(e."createdAt") FROM "ConnectionEvent" e
      WHERE e."connectionId" = c."id" AND e."type" IN ('EXTENDED', 'COMPLETED_AT_BANK', 'RECONNECTED')) AS "renewedAt"
  FROM "Connection" c
  WHERE ${where}`;

export function fromJsonRow(
  row: Omit<ConnectionRow, "consentCreatedAt" | "consentExpiresAt" | "renewedAt" | "balancesCheckedAt"> & {
    consentCreatedAt: string;
    consentExpiresAt: string;
    renewedAt: string | null;
    balancesCheckedAt: string | null;
  },
): ConnectionRow {
  return {
    ...row,
    consentCreatedAt: fromUtcTimestamp(row.consentCreatedAt),
    consentExpiresAt: fromUtcTimestamp(row.consentExpiresAt),
    renewedAt: row.renewedAt ? fromUtcTimestamp(row.renewedAt) : null,
    balancesCheckedAt: row.balancesCheckedAt ? fromUtcTimestamp(row.balancesCheckedAt) : null,
  };
}

export async function getConnectionsForUser(userId: string): Promise<ConnectionRow[]> {
  const { rows } = await sql<ConnectionRow>(
    Prisma.sql`${connectionRows(Prisma.sql`c."userId" = ${userId}`)} ORDER BY c."createdAt" DESC, c."id"`,
  );
  return rows;
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

// consentState() stays the only judge of what is due.
export async function dueFor(userId: string, at: Date): Promise<ConnectionRow[]> {
  const { rows } = await sql<ConnectionRow>(Prisma.sql`
    ${connectionRows(Prisma.sql`c."userId" = ${userId} AND (c."status" = 'NEEDS_BANK_AUTH'
      OR (c."status" = 'ACTIVE' AND c."consentExpiresAt" <= ${addDays(at, EXPIRING_SOON_DAYS)}::timestamp(3)))`)}
    ORDER BY c."consentExpiresAt", c."providerName", c."id"`);
  return rows.filter((row) => isDue(consentState(row, at)));
}

export type BankSnapshot = {
  tokens: { accessTokenSealed: string; refreshTokenSealed?: string; tokenKeyId: string };
  accessTokenExpiresAt: Date;
  scopes: string[];
  credentialsId: string;
  providerId: string;
  providerName: string;
  providerLogoUrl: string | null;
  consentCreatedAt: Date;
  consentExpiresAt: Date;
  accounts: {
    truelayerAccountId: string;
    displayName: string;
    accountType: string;
    maskedNumber: string | null;
    fingerprint: string | null;
    currency: string;
  }[];
};

// The one a reconnect named, else the same credentials at TrueLayer, else the same bank with the same accounts.
export async function findConnectionToReplace(userId: string, snapshot: BankSnapshot, namedId?: string) {
  const { rows } = await sql<ConnectionRow>(
    connectionRows(Prisma.sql`c."userId" = ${userId} AND c."status" <> 'REVOKED'
      AND (c."id" = ${namedId ?? null} OR c."credentialsId" = ${snapshot.credentialsId}
        OR c."providerId" = ${snapshot.providerId})`),
  );
  const key = (ids: string[]) => [...ids].sort().join("\n");
  const wanted = key(snapshot.accounts.map((a) => a.truelayerAccountId));
  return (
    rows.find((c) => c.id === namedId) ??
    rows.find((c) => c.credentialsId === snapshot.credentialsId) ??
    rows.find(
      (c) =>
        c.providerId === snapshot.providerId && key(c.accounts.map((a) => a.truelayerAccountId)) === wanted,
    ) ??
    null
  );
}

// Account ids can change when a user re-authenticates.
export async function replaceAccounts(
  tx: Sql,
  connectionId: string,
  snapshot: Pick<BankSnapshot, "accounts">,
): Promise<void> {
  await tx(Prisma.sql`
    WITH incoming AS (
      SELECT x.*, row_number() OVER () AS "n" FROM json_to_recordset(${JSON.stringify(snapshot.accounts)}::json)
        AS x("truelayerAccountId" text, "displayName" text, "accountType" text, "maskedNumber" text,
          "fingerprint" text, "currency" text)
    ), gone AS (
      DELETE FROM "BankAccount" a WHERE a."connectionId" = ${connectionId}
        AND a."truelayerAccountId" NOT IN (SELECT "truelayerAccountId" FROM incoming)
    )
    INSERT INTO "BankAccount" ("id", "connectionId", "truelayerAccountId", "displayName", "accountType",
      "maskedNumber", "fingerprint", "currency", "createdAt")
    SELECT ${newId()} || lpad(i."n"::text, 3, '0'), ${connectionId}, i."truelayerAccountId", i."displayName",
      i."accountType", i."maskedNumber", i."fingerprint", i."currency", ${now()}::timestamp(3)
    FROM incoming i
    ON CONFLICT ("connectionId", "truelayerAccountId") DO UPDATE SET "displayName" = EXCLUDED."displayName",
      "accountType" = EXCLUDED."accountType", "maskedNumber" = EXCLUDED."maskedNumber",
      "fingerprint" = EXCLUDED."fingerprint", "currency" = EXCLUDED."currency"`);
}

function insertConnection(id: string, userId: string, snapshot: BankSnapshot, at: Date) {
  const t = snapshot.tokens;
  return Prisma.sql`
    INSERT INTO "Connection" ("id", "userId", "providerId", "providerName", "providerLogoUrl", "credentialsId",
      "scopes", "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt",
      "consentCreatedAt", "consentExpiresAt", "createdAt", "updatedAt")
    VALUES (${id}, ${userId}, ${snapshot.providerId}, ${snapshot.providerName}, ${snapshot.providerLogoUrl},
      ${snapshot.credentialsId}, ${snapshot.scopes}::text[], ${t.accessTokenSealed}, ${t.refreshTokenSealed ?? null},
      ${t.tokenKeyId}, ${snapshot.accessTokenExpiresAt}::timestamp(3), ${snapshot.consentCreatedAt}::timestamp(3),
      ${snapshot.consentExpiresAt}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3))`;
}

// One statement: the connection, its accounts, its event and (given one) the code exchange's outcome.
export async function createConnection(
  userId: string,
  snapshot: BankSnapshot,
  settle?: (connectionId: string) => Settlement,
): Promise<{ id: string }> {
  const id = newId();
  const at = now();
  const event = insertEventStatement(
    { connectionId: id, type: "CONNECTED", consentExpiresAt: snapshot.consentExpiresAt },
    Prisma.sql`FROM conn`,
  );
  await sql(Prisma.sql`
    WITH conn AS (${insertConnection(id, userId, snapshot, at)} RETURNING "id"),
    accounts AS (
      INSERT INTO "BankAccount" ("id", "connectionId", "truelayerAccountId", "displayName", "accountType",
        "maskedNumber", "fingerprint", "currency", "createdAt")
      SELECT ${newId()} || lpad(x."n"::text, 3, '0'), conn."id", x."truelayerAccountId", x."displayName",
        x."accountType", x."maskedNumber", x."fingerprint", x."currency", ${at}::timestamp(3)
      FROM conn, json_to_recordset(${JSON.stringify(snapshot.accounts.map((a, n) => ({ ...a, n: n + 1 })))}::json)
        AS x("truelayerAccountId" text, "displayName" text, "accountType" text, "maskedNumber" text,
          "fingerprint" text, "currency" text, "n" int)
    ),
    event AS (${event})
    ${settle ? Prisma.sql`, settled AS (${settleStatement(settle(id))})` : Prisma.empty}
    SELECT "id" FROM conn`);
  return { id };
}

// In place, so its history stays and the bank is not listed twice. False when someone else wrote first.
export async function replaceConnection(
  id: string,
  version: number,
  snapshot: BankSnapshot,
  settle?: (connectionId: string) => Settlement,
): Promise<boolean> {
  const { tokens, accounts: _accounts, ...facts } = snapshot;
  return transaction(async (tx) => {
    const { rowCount } = await tx(
      casStatement(
        { connectionId: id, version, notRevoked: true },
        {
          ...facts,
          ...tokens,
          // A reconnect brings a new token family: never keep an old refresh token beside it.
          refreshTokenSealed: tokens.refreshTokenSealed ?? null,
          status: "ACTIVE",
          statusReason: null,
        },
      ),
    );
    if (rowCount !== 1) return false;
    await replaceAccounts(tx, id, snapshot);
    await appendEvent(
      { connectionId: id, type: "RECONNECTED", consentExpiresAt: snapshot.consentExpiresAt },
      tx,
    );
    if (settle) await tx(settleStatement(settle(id)));
    return true;
  });
}

export async function credentialsInUse(credentialsId: string): Promise<boolean> {
  const { rows } = await sql(Prisma.sql`
    SELECT 1 FROM "Connection" WHERE "credentialsId" = ${credentialsId} AND "status" <> 'REVOKED' LIMIT 1`);
  return rows.length > 0;
}

const revokedColumns = (reason: string) =>
  ({
    accessTokenSealed: null,
    refreshTokenSealed: null,
    accessTokenExpiresAt: null,
    status: "REVOKED",
    statusReason: reason,
  }) as const;

// Stopping always wins: on a lost lease the row is revoked anyway and its version bumped, so a call
// still in flight cannot store tokens again.
export async function revokeConnection(lease: Lease, userId: string, reason: string): Promise<void> {
  try {
    await complete(lease, revokedColumns(reason), { type: "REVOKED", reason });
  } catch (error) {
    if (!(error instanceof LostLeaseError)) throw error;
    await transaction(async (tx) => {
      await tx(
        casStatement({ connectionId: lease.connectionId, userId, force: true }, revokedColumns(reason)),
      );
      await appendEvent({ connectionId: lease.connectionId, type: "REVOKED", reason }, tx);
    });
  }
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
const reminderCandidates = (window: Window, more: Prisma.Sql) => Prisma.sql`
  SELECT c."id", c."userId", c."providerId", c."providerName", c."consentExpiresAt", c."status"::text AS "status",
    json_build_object('email', u."email") AS "user"
  FROM "Connection" c JOIN "User" u ON u."id" = c."userId"
  WHERE c."consentExpiresAt" > ${window.from}::timestamp(3) AND c."consentExpiresAt" <= ${window.to}::timestamp(3)
    AND c."status" <> 'REVOKED' AND u."remindersEnabled" AND u."email" IS NOT NULL ${more}`;

export async function reminderCandidatesPage(
  prisma: PrismaClient,
  window: Window,
  after: { consentExpiresAt: Date; id: string } | undefined,
  take: number,
): Promise<ReminderCandidate[]> {
  const keyset = after
    ? Prisma.sql`AND (c."consentExpiresAt", c."id") > (${after.consentExpiresAt}::timestamp(3), ${after.id})`
    : Prisma.empty;
  const { rows } = await sql<ReminderCandidate>(
    Prisma.sql`${reminderCandidates(window, keyset)} ORDER BY c."consentExpiresAt", c."id" LIMIT ${take}`,
    prisma,
  );
  return rows;
}

/** All connections in the window of these users, so each user's mail covers every due bank. */
export async function reminderCandidatesOfUsers(
  prisma: PrismaClient,
  window: Window,
  userIds: string[],
): Promise<ReminderCandidate[]> {
  const { rows } = await sql<ReminderCandidate>(
    reminderCandidates(window, Prisma.sql`AND c."userId" = ANY(${userIds}::text[])`),
    prisma,
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
