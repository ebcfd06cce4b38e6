import "server-only";
import { type ConnectionEventType, type ConnectionStatus, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { fromUtcTimestamp, sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { consentState, isDue } from "./consent-state";
import { type ClaimedConnection, claimStatement } from "./lease";

// The statements the reconfirm action makes on every submission, as SQL of our own: each Prisma model
// query costs about 1 ms of query compiling on top of its round trip, and this path has a 15 ms budget
// (docs/decisions/013-hot-path-sql.md). The integration tests run every one against PostgreSQL.

export type ReconfirmAccount = {
  truelayerAccountId: string;
  displayName: string;
  maskedNumber: string | null;
};

export type ReconfirmConnection = {
  id: string;
  userId: string;
  providerId: string;
  providerName: string;
  providerLogoUrl: string | null;
  scopes: string[];
  status: ConnectionStatus;
  consentExpiresAt: Date;
  /** Bumped by every claim and every stored result (lease.ts). */
  version: number;
  accounts: ReconfirmAccount[];
};

export type RecentResult = {
  connectionId: string;
  type: Extract<ConnectionEventType, "EXTENDED" | "COMPLETED_AT_BANK" | "SENT_TO_BANK">;
  consentExpiresAt: Date | null;
  reconfirmationId: string | null;
};

const connectionsWhere = (where: Prisma.Sql) => Prisma.sql`
  SELECT c."id", c."userId", c."providerId", c."providerName", c."providerLogoUrl", c."scopes",
    c."status"::text AS "status", c."consentExpiresAt", c."version",
    COALESCE((
      SELECT json_agg(json_build_object('truelayerAccountId', a."truelayerAccountId",
        'displayName', a."displayName", 'maskedNumber', a."maskedNumber") ORDER BY a."createdAt", a."id")
      FROM "BankAccount" a WHERE a."connectionId" = c."id"
    ), '[]'::json) AS "accounts"
  FROM "Connection" c
  WHERE ${where}`;

const connectionsOf = (userId: string, ids: string[]) =>
  connectionsWhere(Prisma.sql`c."userId" = ${userId} AND c."id" = ANY(${ids}::text[])`);

const recentResultsOf = (connectionIds: string[], hash: string, since: Date) => Prisma.sql`
  SELECT DISTINCT ON (e."connectionId") e."connectionId", e."type"::text AS "type", e."consentExpiresAt",
    e."reconfirmationId"
  FROM "ConnectionEvent" e JOIN "Reconfirmation" r ON r."id" = e."reconfirmationId"
  WHERE e."connectionId" = ANY(${connectionIds}::text[])
    AND e."type" IN ('EXTENDED', 'COMPLETED_AT_BANK', 'SENT_TO_BANK')
    AND e."createdAt" >= ${since}::timestamp(3) AND r."copyHash" = ${hash}
  ORDER BY e."connectionId", e."createdAt" DESC, e."id" DESC`;

/** The named connections that belong to the user (others are simply missing from the answer). */
export async function getUserConnections(userId: string, ids: string[]): Promise<ReconfirmConnection[]> {
  const { rows } = await sql<ReconfirmConnection>(
    Prisma.sql`${connectionsOf(userId, ids)} ORDER BY c."providerName", c."id"`,
  );
  return rows;
}

/** Every connection the user should reconfirm now: expiring, lapsed or needing their bank. */
export async function getDueConnectionsForUser(userId: string, at: Date): Promise<ReconfirmConnection[]> {
  const { rows } = await sql<ReconfirmConnection>(
    Prisma.sql`${connectionsWhere(Prisma.sql`c."userId" = ${userId} AND c."status" <> 'REVOKED'`)}
      ORDER BY c."providerName", c."id"`,
  );
  return rows.filter((row) => isDue(consentState(row, at)));
}

/** Per connection, a result it already got under the same wording lately (double click, two tabs). */
export async function findRecentResults(
  connectionIds: string[],
  hash: string,
  since: Date,
): Promise<Map<string, RecentResult>> {
  const { rows } = await sql<RecentResult>(recentResultsOf(connectionIds, hash, since));
  return new Map(rows.map((row) => [row.connectionId, row]));
}

type Json<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

/**
 * What one reconfirm submission is checked against, in one statement and so one snapshot: the user's
 * name and email, the connections the wording covered (with their versions) and the results the
 * chosen ones already got under this wording.
 */
export async function loadSubmissionRows(
  userId: string,
  shownIds: string[],
  chosenIds: string[],
  hash: string,
  since: Date,
  /** An INSERT … RETURNING "count" (rate-limit.ts) run in the same statement. */
  attempt: Prisma.Sql,
) {
  const { rows } = await sql<{
    profile: { name: string | null; email: string | null } | null;
    connections: Json<ReconfirmConnection, "consentExpiresAt">[];
    recent: (Omit<RecentResult, "consentExpiresAt"> & { consentExpiresAt: string | null })[];
    attempts: number | null;
  }>(Prisma.sql`
    WITH attempt AS (${attempt})
    SELECT
      (SELECT "count" FROM attempt) AS "attempts",
      (SELECT json_build_object('name', u."name", 'email', u."email") FROM "User" u WHERE u."id" = ${userId})
        AS "profile",
      COALESCE((SELECT json_agg(c ORDER BY c."providerName", c."id") FROM (${connectionsOf(userId, shownIds)}) c),
        '[]'::json) AS "connections",
      COALESCE((SELECT json_agg(r) FROM (${recentResultsOf(chosenIds, hash, since)}) r), '[]'::json) AS "recent"`);
  const row = rows[0];
  return {
    attempts: row?.attempts ?? undefined,
    profile: row?.profile ?? null,
    connections: (row?.connections ?? []).map((c) => ({
      ...c,
      consentExpiresAt: fromUtcTimestamp(c.consentExpiresAt),
    })),
    recent: new Map(
      (row?.recent ?? []).map((r) => [
        r.connectionId,
        { ...r, consentExpiresAt: r.consentExpiresAt === null ? null : fromUtcTimestamp(r.consentExpiresAt) },
      ]),
    ),
  };
}

/**
 * Written before TrueLayer is called: the record of what the user agreed to, and in the same statement
 * the claim on each connection for the call (lease.ts). A connection missing from `claims` is held by
 * another request.
 */
export async function recordReconfirmation(
  userId: string,
  hash: string,
  connections: ReconfirmConnection[],
): Promise<{ reconfirmationId: string; claims: Map<string, ClaimedConnection> }> {
  const id = newId();
  const items = connections.map((c) => ({
    id: newId(),
    connectionId: c.id,
    accountIds: c.accounts.map((a) => a.truelayerAccountId),
    scopes: c.scopes,
  }));
  const { rows } = await sql<ClaimedConnection>(Prisma.sql`
    WITH r AS (
      INSERT INTO "Reconfirmation" ("id", "userId", "copyHash", "createdAt")
      VALUES (${id}, ${userId}, ${hash}, ${now()}::timestamp(3))
      RETURNING "id"
    ),
    i AS (
      INSERT INTO "ReconfirmationItem" ("id", "reconfirmationId", "connectionId", "accountIds", "scopes")
    SELECT i->>'id', r."id", i->>'connectionId',
      ARRAY(SELECT json_array_elements_text(i->'accountIds')),
      ARRAY(SELECT json_array_elements_text(i->'scopes'))
      FROM r, json_array_elements(${JSON.stringify(items)}::json) i
    ),
    claimed AS (${claimStatement(
      connections.map((c) => c.id),
      userId,
      "extend",
    )})
    SELECT * FROM claimed`);
  return { reconfirmationId: id, claims: new Map(rows.map((row) => [row.connectionId, row])) };
}
