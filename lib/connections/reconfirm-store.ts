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

const connectionsOf = (userId: string | Prisma.Sql, ids: string[]) =>
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
 * Whose submission it is: a user already known, or the holder of a session cookie, whose session
 * (live by `at`, the real clock) the same statement looks up.
 */
export type SubmissionOwner = { userId: string } | { sessionToken: string; at: Date };

/** The owner's id, name and email as one row, or no row for an unknown user or a dead session. */
const ownerRow = (owner: SubmissionOwner) =>
  "userId" in owner
    ? Prisma.sql`SELECT u."id" AS "userId", u."name", u."email" FROM "User" u WHERE u."id" = ${owner.userId}`
    : Prisma.sql`SELECT s."userId", u."name", u."email"
        FROM "Session" s JOIN "User" u ON u."id" = s."userId"
        WHERE s."sessionToken" = ${owner.sessionToken} AND s."expires" > ${owner.at}::timestamp(3)
          AND u."email" IS NOT NULL`;

/** Inside loadSubmissionRows' statement: the owner's user id (null when there is none). */
export const SUBMISSION_USER_ID = Prisma.sql`(SELECT "userId" FROM owner)`;

/**
 * What one reconfirm submission is checked against, in one statement and so one snapshot: who the
 * owner is, their name and email, the connections the wording covered (with their versions) and the
 * results the chosen ones already got under this wording. `userId` is undefined when the owner is not
 * found (a session that ended); nothing else is then read or counted.
 */
export async function loadSubmissionRows(
  owner: SubmissionOwner,
  shownIds: string[],
  chosenIds: string[],
  hash: string,
  since: Date,
  /** An INSERT … RETURNING "count" (rate-limit.ts) run in the same statement; SUBMISSION_USER_ID names the user. */
  attempt: Prisma.Sql,
) {
  const { rows } = await sql<{
    userId: string | null;
    profile: { name: string | null; email: string | null } | null;
    connections: Json<ReconfirmConnection, "consentExpiresAt">[];
    recent: (Omit<RecentResult, "consentExpiresAt"> & { consentExpiresAt: string | null })[];
    attempts: number | null;
  }>(Prisma.sql`
    WITH owner AS MATERIALIZED (${ownerRow(owner)}),
    attempt AS (${attempt})
    SELECT
      ${SUBMISSION_USER_ID} AS "userId",
      (SELECT "count" FROM attempt) AS "attempts",
      (SELECT json_build_object('name', o."name", 'email', o."email") FROM owner o) AS "profile",
      COALESCE((SELECT json_agg(c ORDER BY c."providerName", c."id")
        FROM (${connectionsOf(SUBMISSION_USER_ID, shownIds)}) c), '[]'::json) AS "connections",
      COALESCE((SELECT json_agg(r) FROM (${recentResultsOf(chosenIds, hash, since)}) r
        WHERE EXISTS (SELECT 1 FROM owner)), '[]'::json) AS "recent"`);
  const row = rows[0];
  return {
    userId: row?.userId ?? undefined,
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
