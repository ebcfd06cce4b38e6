import "server-only";
import { type ConnectionEventType, Prisma } from "@prisma/client";
import { sql } from "@/lib/db";
import { recordJson, type StoredConsentRecord } from "./export";

export type ConnectionMilestones = { lastReconfirmedAt: Date | null; stoppedAt: Date | null };

/** Last renewal and stop per connection; all the user's without `connectionIds`, so pages read it beside them. */
export async function connectionMilestones(
  userId: string,
  connectionIds?: string[],
): Promise<Map<string, ConnectionMilestones>> {
  if (connectionIds?.length === 0) return new Map();
  const { rows } = await sql<{ connectionId: string } & ConnectionMilestones>(Prisma.sql`
    SELECT e."connectionId",
      max(e."createdAt") FILTER (WHERE e."type" IN ('EXTENDED', 'COMPLETED_AT_BANK')) AS "lastReconfirmedAt",
      max(e."createdAt") FILTER (WHERE e."type" = 'REVOKED') AS "stoppedAt"
    FROM "ConnectionEvent" e JOIN "Connection" c ON c."id" = e."connectionId"
    WHERE c."userId" = ${userId}
      ${connectionIds ? Prisma.sql`AND e."connectionId" = ANY(${connectionIds}::text[])` : Prisma.empty}
      AND e."type" IN ('EXTENDED', 'COMPLETED_AT_BANK', 'REVOKED')
    GROUP BY e."connectionId"`);
  return new Map(rows.map(({ connectionId, ...m }) => [connectionId, m]));
}

export type HistoryEvent = {
  type: ConnectionEventType;
  reason: string | null;
  consentExpiresAt: Date | null;
  reconfirmationId: string | null;
  createdAt: Date;
};

export async function connectionHistory(
  userId: string,
  connectionId: string,
): Promise<{ events: HistoryEvent[]; records: StoredConsentRecord[] }> {
  const [events, records] = await Promise.all([
    sql<HistoryEvent>(Prisma.sql`
      SELECT e."type"::text AS "type", e."reason", e."consentExpiresAt", e."reconfirmationId", e."createdAt"
      FROM "ConnectionEvent" e JOIN "Connection" c ON c."id" = e."connectionId"
      WHERE e."connectionId" = ${connectionId} AND c."userId" = ${userId}
      ORDER BY e."createdAt", e."id"`),
    sql<{ r: StoredConsentRecord }>(Prisma.sql`
      SELECT ${recordJson} AS "r"
      FROM "ReconfirmationOwner" o JOIN "Reconfirmation" r ON r."id" = o."reconfirmationId"
      LEFT JOIN "ConsentWording" w ON w."version" = r."wordingVersion"
      WHERE o."userId" = ${userId} AND EXISTS (SELECT 1 FROM "ReconfirmationItem" i
        WHERE i."reconfirmationId" = r."id" AND i."connectionId" = ${connectionId})
      ORDER BY r."createdAt", r."id"`),
  ]);
  return { events: events.rows, records: records.rows.map((x) => x.r) };
}
