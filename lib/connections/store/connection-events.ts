import "server-only";
import { type ConnectionEventType, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { type Sql, sql } from "@/lib/db";
import { newId } from "@/lib/ids";

// Append-only (UPDATE is refused by a rule).

export type EventInput = {
  connectionId: string;
  type: ConnectionEventType;
  reconfirmationId?: string | null;
  reason?: string | null;
  consentExpiresAt?: Date | null;
  browserHash?: string | null;
};

// With `from` (e.g. `FROM c` of a CTE) the event is written only if that row exists.
export function insertEventStatement(
  event: EventInput,
  from: Prisma.Sql = Prisma.empty,
  at: Date = now(),
): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "ConnectionEvent" ("id", "connectionId", "reconfirmationId", "type", "reason", "consentExpiresAt",
      "browserHash", "createdAt")
    SELECT ${newId()}, ${event.connectionId}, ${event.reconfirmationId ?? null}, ${event.type}::"ConnectionEventType",
      ${event.reason ?? null}, ${event.consentExpiresAt ?? null}::timestamp(3), ${event.browserHash ?? null},
      ${at}::timestamp(3)
    ${from}`;
}

export async function appendEvent(event: EventInput, tx?: Sql): Promise<void> {
  if (tx) await tx(insertEventStatement(event));
  else await sql(insertEventStatement(event));
}

export async function appendEvents(events: EventInput[]): Promise<void> {
  if (events.length === 0) return;
  const at = now();
  await sql(Prisma.sql`
    INSERT INTO "ConnectionEvent" ("id", "connectionId", "reconfirmationId", "type", "reason", "createdAt")
    SELECT x."id", x."connectionId", x."reconfirmationId", x."type"::"ConnectionEventType", x."reason", ${at}::timestamp(3)
    FROM json_to_recordset(${JSON.stringify(events.map((e) => ({ ...e, id: newId() })))}::json)
      AS x("id" text, "connectionId" text, "reconfirmationId" text, "type" text, "reason" text)`);
}

export type LatestEvent = {
  connectionId: string;
  type: ConnectionEventType;
  reason: string | null;
  consentExpiresAt: Date | null;
  reconfirmationId: string | null;
  browserHash: string | null;
  createdAt: Date;
};

export type OutcomeFilter = {
  types: readonly ConnectionEventType[];
  copyHash?: string;
  since?: Date;
};

export function latestOutcomeStatement(connectionIds: string[], filter: OutcomeFilter): Prisma.Sql {
  const wording = filter.copyHash
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM "Reconfirmation" r WHERE r."id" = e."reconfirmationId" AND r."copyHash" = ${filter.copyHash})`
    : Prisma.empty;
  const since = filter.since ? Prisma.sql`AND e."createdAt" >= ${filter.since}::timestamp(3)` : Prisma.empty;
  return Prisma.sql`
    SELECT DISTINCT ON (e."connectionId") e."connectionId", e."type"::text AS "type", e."reason",
      e."consentExpiresAt", e."reconfirmationId", e."browserHash", e."createdAt"
    FROM "ConnectionEvent" e
    WHERE e."connectionId" = ANY(${connectionIds}::text[])
      AND e."type"::text = ANY(${[...filter.types]}::text[]) ${wording} ${since}
    ORDER BY e."connectionId", e."createdAt" DESC, e."id" DESC`;
}

// Ties on the time are broken by id, which newId() makes in order.
export async function latestOutcome(
  connectionIds: string[],
  filter: OutcomeFilter,
): Promise<Map<string, LatestEvent>> {
  if (connectionIds.length === 0) return new Map();
  const { rows } = await sql<LatestEvent>(latestOutcomeStatement(connectionIds, filter));
  return new Map(rows.map((row) => [row.connectionId, row]));
}

export const TRIP_EVENTS = ["SENT_TO_BANK", "COMPLETED_AT_BANK", "FAILED", "EXTENDED"] as const;
// What a repeat of a reconfirmation's request reports instead of acting.
export const RESULT_EVENTS = ["EXTENDED", "COMPLETED_AT_BANK", "SENT_TO_BANK", "FAILED"] as const;

/** Renewal results since `since` and failures, by the (type, createdAt) index: an hour is cheap to count. */
export async function countRenewalResults(since: Date): Promise<{ results: number; failed: number }> {
  const { rows } = await sql<{ results: number; failed: number }>(Prisma.sql`
    SELECT count(*)::int AS "results", count(*) FILTER (WHERE "type" = 'FAILED')::int AS "failed"
    FROM "ConnectionEvent"
    WHERE "type" IN (${Prisma.join(RESULT_EVENTS.map((t) => Prisma.sql`${t}::"ConnectionEventType"`))})
      AND "createdAt" >= ${since}::timestamp(3) AND "reconfirmationId" IS NOT NULL`);
  return rows[0] ?? { results: 0, failed: 0 };
}
