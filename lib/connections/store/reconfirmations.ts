import "server-only";
import { type ConnectionStatus, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { fromUtcTimestamp, sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { type ConnectionRow, connectionRows, fromJsonRow } from "./connections";
import { type LatestEvent, latestOutcomeStatement, RESULT_EVENTS } from "./events";
import { type ClaimedConnection, claimStatement } from "./lease";

// Append-only (UPDATE is refused by a rule); written in the statement that claims the connections for extend.

type Json<T, K extends keyof T> = Omit<T, K> & { [P in K]: string | null };
const eventFromJson = (e: Json<LatestEvent, "consentExpiresAt" | "createdAt">): LatestEvent => ({
  ...e,
  consentExpiresAt: e.consentExpiresAt === null ? null : fromUtcTimestamp(e.consentExpiresAt),
  createdAt: fromUtcTimestamp(e.createdAt ?? ""),
});

// One statement, so one snapshot; `attempt` is counted against the renewal limit.
export async function loadSubmissionRows(input: {
  userId: string;
  shownIds: string[];
  chosenIds: string[];
  copyHash: string;
  since: Date;
  attempt: Prisma.Sql;
}) {
  const { userId } = input;
  const shown = connectionRows(
    Prisma.sql`c."userId" = ${userId} AND c."id" = ANY(${input.shownIds}::text[])`,
  );
  const recent = latestOutcomeStatement(input.chosenIds, {
    types: RESULT_EVENTS.filter((t) => t !== "FAILED"),
    copyHash: input.copyHash,
    since: input.since,
  });
  const { rows } = await sql<{
    profile: { name: string | null; email: string | null; truelayerUserId: string } | null;
    connections: Json<ConnectionRow, "consentCreatedAt" | "consentExpiresAt">[];
    recent: Json<LatestEvent, "consentExpiresAt" | "createdAt">[];
    attempts: number | null;
  }>(Prisma.sql`
    WITH attempt AS (${input.attempt})
    SELECT
      (SELECT "count" FROM attempt) AS "attempts",
      (SELECT json_build_object('name', u."name", 'email', u."email", 'truelayerUserId', u."truelayerUserId") FROM "User" u WHERE u."id" = ${userId})
        AS "profile",
      COALESCE((SELECT json_agg(c ORDER BY c."providerName", c."id") FROM (${shown}) c), '[]'::json) AS "connections",
      COALESCE((SELECT json_agg(r) FROM (${recent}) r), '[]'::json) AS "recent"`);
  const row = rows[0];
  return {
    attempts: row?.attempts ?? undefined,
    profile: row?.profile ?? null,
    connections: (row?.connections ?? []).map((c) =>
      fromJsonRow({
        ...c,
        consentCreatedAt: c.consentCreatedAt ?? "",
        consentExpiresAt: c.consentExpiresAt ?? "",
      }),
    ),
    recent: new Map((row?.recent ?? []).map((r) => [r.connectionId, eventFromJson(r)])),
  };
}

// Written before TrueLayer is called, with the claims (lease.ts); a connection missing from `claims` is held
// by another request.
export async function recordReconfirmation(
  userId: string,
  copyHash: string,
  connections: Pick<ConnectionRow, "id" | "scopes" | "accounts">[],
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
      VALUES (${id}, ${userId}, ${copyHash}, ${now()}::timestamp(3))
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

type ResultConnection = {
  id: string;
  providerId: string;
  providerName: string;
  providerLogoUrl: string | null;
  status: ConnectionStatus;
  consentExpiresAt: Date;
  leaseExpiresAt: Date | null;
};

export type ReconfirmationResults = {
  id: string;
  items: {
    connection: ResultConnection & {
      events: { type: LatestEvent["type"]; reason: string | null; consentExpiresAt: Date | null }[];
    };
  }[];
};

export async function getReconfirmationForUser(
  reconfirmationId: string,
  userId: string,
): Promise<ReconfirmationResults | null> {
  const { rows } = await sql<
    ResultConnection & {
      type: LatestEvent["type"] | null;
      reason: string | null;
      eventExpiresAt: Date | null;
    }
  >(Prisma.sql`
    SELECT c."id", c."providerId", c."providerName", c."providerLogoUrl", c."status"::text AS "status",
      c."consentExpiresAt", c."leaseExpiresAt", e."type"::text AS "type", e."reason", e."consentExpiresAt" AS "eventExpiresAt"
    FROM "Reconfirmation" r
    JOIN "ReconfirmationItem" i ON i."reconfirmationId" = r."id"
    JOIN "Connection" c ON c."id" = i."connectionId"
    LEFT JOIN LATERAL (
      SELECT e."type", e."reason", e."consentExpiresAt" FROM "ConnectionEvent" e
      WHERE e."connectionId" = c."id" AND e."reconfirmationId" = r."id"
      ORDER BY e."createdAt" DESC, e."id" DESC LIMIT 1
    ) e ON true
    WHERE r."id" = ${reconfirmationId} AND r."userId" = ${userId}
    ORDER BY i."id"`);
  if (rows.length === 0) {
    const { rows: exists } = await sql(Prisma.sql`
      SELECT 1 FROM "Reconfirmation" WHERE "id" = ${reconfirmationId} AND "userId" = ${userId}`);
    return exists.length ? { id: reconfirmationId, items: [] } : null;
  }
  return {
    id: reconfirmationId,
    items: rows.map(({ type, reason, eventExpiresAt, ...connection }) => ({
      connection: { ...connection, events: type ? [{ type, reason, consentExpiresAt: eventExpiresAt }] : [] },
    })),
  };
}

export async function getReconfirmationItem(reconfirmationId: string, connectionId: string, userId: string) {
  const { rows } = await sql<{ id: string; copyHash: string }>(Prisma.sql`
    SELECT r."id", r."copyHash" FROM "Reconfirmation" r
    JOIN "ReconfirmationItem" i ON i."reconfirmationId" = r."id"
    JOIN "Connection" c ON c."id" = i."connectionId"
    WHERE r."id" = ${reconfirmationId} AND r."userId" = ${userId} AND i."connectionId" = ${connectionId}
      AND c."userId" = ${userId}`);
  return rows[0] ?? null;
}

export async function getLatestBankCompletion(connectionId: string) {
  const { rows } = await sql<{
    reconfirmationId: string | null;
    consentExpiresAt: Date | null;
    providerName: string;
    userId: string;
  }>(Prisma.sql`
    SELECT e."reconfirmationId", e."consentExpiresAt", c."providerName", c."userId"
    FROM "ConnectionEvent" e JOIN "Connection" c ON c."id" = e."connectionId"
    WHERE e."connectionId" = ${connectionId} AND e."type" = 'COMPLETED_AT_BANK'
    ORDER BY e."createdAt" DESC, e."id" DESC LIMIT 1`);
  const row = rows[0];
  return row
    ? {
        reconfirmationId: row.reconfirmationId,
        consentExpiresAt: row.consentExpiresAt,
        connection: { providerName: row.providerName, userId: row.userId },
      }
    : null;
}
