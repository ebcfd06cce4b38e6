import "server-only";
import { type ConnectionStatus, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import type { WordingParameters } from "@/lib/consent/wording";
import { COMMIT_WITHOUT_FLUSH, fromUtcTimestamp, sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { type Claimed, claimStatement } from "../custody";
import { type LatestEvent, latestOutcomeStatement, RESULT_EVENTS } from "./connection-events";
import {
  accountsJson,
  type ConnectionRow,
  connectionRows,
  fromJsonRow,
  type StoredAccount,
} from "./connections";

// Consent records: append-only (an UPDATE raises), outliving connection and user; written by the extend claim.

type Json<T, K extends keyof T> = Omit<T, K> & { [P in K]: string | null };
const eventFromJson = (e: Json<LatestEvent, "consentExpiresAt" | "createdAt">): LatestEvent => ({
  ...e,
  consentExpiresAt: e.consentExpiresAt === null ? null : fromUtcTimestamp(e.consentExpiresAt),
  createdAt: fromUtcTimestamp(e.createdAt ?? ""),
});

type SubmissionInput = {
  userId: string;
  shownIds: string[];
  chosenIds: string[];
  copyHash: string;
  since: Date;
  /** The renewal limit's count (lib/security/rate-limit.ts): the statement's only write, so disposable. */
  attempt: Prisma.Sql;
};

export function submissionStatement(input: SubmissionInput): Prisma.Sql {
  const { userId } = input;
  const shown = connectionRows(
    Prisma.sql`c."userId" = ${userId} AND c."id" = ANY(${input.shownIds}::text[])`,
  );
  const recent = latestOutcomeStatement(input.chosenIds, {
    types: RESULT_EVENTS.filter((t) => t !== "FAILED"),
    copyHash: input.copyHash,
    since: input.since,
  });
  return Prisma.sql`
    WITH attempt AS (${input.attempt})
    SELECT
      ${COMMIT_WITHOUT_FLUSH} AS "commit",
      (SELECT "count" FROM attempt) AS "attempts",
      (SELECT json_build_object('name', u."name", 'email', u."email", 'truelayerUserId', u."truelayerUserId") FROM "User" u WHERE u."id" = ${userId})
        AS "profile",
      COALESCE((SELECT json_agg(c ORDER BY c."providerName", c."id") FROM (${shown}) c), '[]'::json) AS "connections",
      COALESCE((SELECT json_agg(r) FROM (${recent}) r), '[]'::json) AS "recent"`;
}

// One statement, so one snapshot; it counts the attempt against the renewal limit, without a disk flush.
export async function loadSubmissionRows(input: SubmissionInput) {
  const { rows } = await sql<{
    profile: { name: string | null; email: string | null; truelayerUserId: string } | null;
    connections: Json<
      ConnectionRow,
      "consentCreatedAt" | "consentExpiresAt" | "renewedAt" | "balancesCheckedAt" | "grantLostAt"
    >[];
    recent: Json<LatestEvent, "consentExpiresAt" | "createdAt">[];
    attempts: number | null;
  }>(submissionStatement(input));
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

export type ConsentRecordInput = {
  userId: string;
  /** lib/consent/subject.ts, of the email at the time. */
  subject: string;
  copyHash: string;
  wording: { version: number; template: string };
  /** The template's fill for every bank shown, in order; accounts go to ReconfirmationOwner. */
  parameters: WordingParameters;
  /** The shown connections' accounts, for the owner part (TrueLayer ids included). */
  accounts: Record<string, { id: string; displayName: string; maskedNumber: string | null }[]>;
};

// Before TrueLayer is called, with custody's claims (one missing from `claims` is held elsewhere). A template text
// changed within its version makes the upsert an UPDATE, which the append-only trigger refuses: no consent recorded.
export async function recordReconfirmation(
  record: ConsentRecordInput,
  connections: Pick<ConnectionRow, "id" | "providerId" | "providerName" | "scopes">[],
): Promise<{ reconfirmationId: string; claims: Map<string, Claimed> }> {
  const id = newId();
  const { userId } = record;
  const at = now();
  const items = connections.map((c) => ({
    id: newId(),
    connectionId: c.id,
    providerId: c.providerId,
    providerName: c.providerName,
    scopes: c.scopes,
  }));
  const parameters = {
    newExpiry: record.parameters.newExpiry,
    consentDays: record.parameters.consentDays,
    brand: record.parameters.brand,
    banks: record.parameters.banks.map(({ accounts: _, ...bank }) => bank),
  };
  const { rows } = await sql<Claimed>(Prisma.sql`
    WITH w AS (
      INSERT INTO "ConsentWording" ("version", "template", "createdAt")
      VALUES (${record.wording.version}, ${record.wording.template}, ${at}::timestamp(3))
      ON CONFLICT ("version") DO NOTHING
    ),
    r AS (
      INSERT INTO "Reconfirmation" ("id", "subject", "wordingVersion", "parameters", "copyHash", "createdAt")
      VALUES (${id}, ${record.subject}, ${record.wording.version}, ${JSON.stringify(parameters)}::jsonb,
        ${record.copyHash}, ${at}::timestamp(3))
      RETURNING "id"
    ),
    o AS (
      INSERT INTO "ReconfirmationOwner" ("reconfirmationId", "userId", "accounts")
      SELECT r."id", ${userId}, ${JSON.stringify(record.accounts)}::jsonb FROM r
    ),
    i AS (
      INSERT INTO "ReconfirmationItem" ("id", "reconfirmationId", "connectionId", "providerId", "providerName", "scopes")
      SELECT i->>'id', r."id", i->>'connectionId', i->>'providerId', i->>'providerName',
        ARRAY(SELECT json_array_elements_text(i->'scopes'))
      FROM r, json_array_elements(${JSON.stringify(items)}::json) i
    ),
    claimed AS (${claimStatement(
      connections.map((c) => c.id),
      userId,
      "extend",
      at,
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
  /** A renewal since this reconfirmation, made by another one (a second tab, a later try), if any. */
  renewedElsewhere: { consentExpiresAt: Date | null } | null;
  // Read right after a renewal, so its result can show them.
  accounts: Pick<StoredAccount, "id" | "displayName" | "maskedNumber" | "balance">[];
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
    Omit<ResultConnection, "renewedElsewhere"> & {
      type: LatestEvent["type"] | null;
      reason: string | null;
      eventExpiresAt: Date | null;
      renewedAt: Date | null;
      renewedUntil: Date | null;
    }
  >(Prisma.sql`
    SELECT c."id", c."providerId", c."providerName", c."providerLogoUrl", c."status"::text AS "status",
      c."consentExpiresAt", c."leaseExpiresAt", e."type"::text AS "type", e."reason", e."consentExpiresAt" AS "eventExpiresAt",
      l."createdAt" AS "renewedAt", l."consentExpiresAt" AS "renewedUntil",
      ${accountsJson} AS "accounts"
    FROM "Reconfirmation" r
    JOIN "ReconfirmationOwner" o ON o."reconfirmationId" = r."id" AND o."userId" = ${userId}
    JOIN "ReconfirmationItem" i ON i."reconfirmationId" = r."id"
    JOIN "Connection" c ON c."id" = i."connectionId" AND c."userId" = ${userId}
    LEFT JOIN LATERAL (
      SELECT e."type", e."reason", e."consentExpiresAt" FROM "ConnectionEvent" e
      WHERE e."connectionId" = c."id" AND e."reconfirmationId" = r."id"
      ORDER BY e."createdAt" DESC, e."id" DESC LIMIT 1
    ) e ON true
    LEFT JOIN LATERAL (
      SELECT l."createdAt", l."consentExpiresAt" FROM "ConnectionEvent" l
      WHERE l."connectionId" = c."id" AND l."type" IN ('EXTENDED', 'COMPLETED_AT_BANK', 'RECONNECTED')
        AND l."createdAt" >= r."createdAt" AND l."reconfirmationId" IS DISTINCT FROM r."id"
      ORDER BY l."createdAt" DESC, l."id" DESC LIMIT 1
    ) l ON true
    WHERE r."id" = ${reconfirmationId}
    ORDER BY i."id"`);
  if (rows.length === 0) {
    const { rows: exists } = await sql(Prisma.sql`
      SELECT 1 FROM "ReconfirmationOwner" WHERE "reconfirmationId" = ${reconfirmationId} AND "userId" = ${userId}`);
    return exists.length ? { id: reconfirmationId, items: [] } : null;
  }
  return {
    id: reconfirmationId,
    items: rows.map(({ type, reason, eventExpiresAt, renewedAt, renewedUntil, ...connection }) => ({
      connection: {
        ...connection,
        renewedElsewhere: renewedAt ? { consentExpiresAt: renewedUntil } : null,
        events: type ? [{ type, reason, consentExpiresAt: eventExpiresAt }] : [],
      },
    })),
  };
}

export async function getReconfirmationItem(reconfirmationId: string, connectionId: string, userId: string) {
  const { rows } = await sql<{ id: string; copyHash: string }>(Prisma.sql`
    SELECT r."id", r."copyHash" FROM "Reconfirmation" r
    JOIN "ReconfirmationOwner" o ON o."reconfirmationId" = r."id" AND o."userId" = ${userId}
    JOIN "ReconfirmationItem" i ON i."reconfirmationId" = r."id"
    JOIN "Connection" c ON c."id" = i."connectionId"
    WHERE r."id" = ${reconfirmationId} AND i."connectionId" = ${connectionId}
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
