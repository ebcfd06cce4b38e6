import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { COMMIT_WITHOUT_FLUSH, sql } from "@/lib/db";

// UK SCA-RTS Art. 36(5)(b): without the user present, at most four reads per account in 24 hours.
export const UNATTENDED_READS_PER_DAY = 4;
export const DAY_MS = 24 * 60 * 60 * 1000;

export const notPaused = (at: Date) =>
  Prisma.sql`(c."unattendedReadsPausedUntil" IS NULL OR c."unattendedReadsPausedUntil" <= ${at}::timestamp(3))`;

export const readable = (
  at: Date,
) => Prisma.sql`c."status" = 'ACTIVE' AND c."consentExpiresAt" > ${at}::timestamp(3)
  AND 'balance' = ANY(c."scopes")`;

export type BalanceFigures = {
  accountId: string;
  current: number;
  available: number;
  currency: string;
};

export type ConnectionFigures = { connectionId: string; figures: BalanceFigures[] };

// Stopping wins: figures after a stop are dropped. Typed arrays, as json_to_recordset's 100-row guess made the
// planner scan all of BankAccount (decision 071).
export function storeFiguresStatement(read: ConnectionFigures[]): Prisma.Sql {
  const rows = read.flatMap(({ connectionId, figures }) => figures.map((f) => ({ ...f, connectionId })));
  return Prisma.sql`
    UPDATE "BankAccount" a SET "balanceCurrent" = x."current", "balanceAvailable" = x."available",
      "balanceCurrency" = x."currency", "balanceReadAt" = ${now()}::timestamp(3)
    FROM unnest(${rows.map((r) => r.connectionId)}::text[], ${rows.map((r) => r.accountId)}::text[],
      ${rows.map((r) => r.current)}::numeric[], ${rows.map((r) => r.available)}::numeric[],
      ${rows.map((r) => r.currency)}::text[]) AS x("connectionId", "accountId", "current", "available", "currency")
    WHERE a."id" = x."accountId" AND a."connectionId" = x."connectionId"
      AND EXISTS (SELECT 1 FROM "Connection" c WHERE c."id" = x."connectionId" AND c."status" <> 'REVOKED')`;
}

// A copy of the bank's, read again when stale: no disk flush (a crash can lose its last split second; decision 059).
export async function storeBalances(connectionId: string, figures: BalanceFigures[]): Promise<void> {
  if (figures.length === 0) return;
  await sql(Prisma.sql`
    WITH stored AS (${storeFiguresStatement([{ connectionId, figures }])}) SELECT ${COMMIT_WITHOUT_FLUSH}`);
}

// The user's latest answer on renewing was no: access runs out as granted, but nobody reads in their absence.
const declined = Prisma.sql`c."declinedAt" IS NOT NULL`;

/** Live, undeclined connections not read within `spacingMs`, of users seen since `seenSince` (decision 061):
 * driven from the sessions, few beside the connections, by a keyset on the id so a run never rescans. */
export async function connectionsDueForScheduledRead(
  spacingMs: number,
  seenSince: Date,
  limit: number,
  after = "",
): Promise<string[]> {
  const at = now();
  const dayAgo = new Date(at.getTime() - DAY_MS);
  const { rows } = await sql<{ id: string }>(Prisma.sql`
    SELECT c."id" FROM "Connection" c
    WHERE c."userId" IN (SELECT s."userId" FROM "Session" s WHERE s."lastSeenAt" > ${seenSince}::timestamp(3))
      AND c."id" > ${after} AND ${readable(at)} AND NOT ${declined} AND ${notPaused(at)}
      AND (SELECT count(*) FROM unnest(COALESCE(c."unattendedReadsAt", '{}')) t
        WHERE t > ${dayAgo}::timestamp(3)) < ${UNATTENDED_READS_PER_DAY}
      AND (c."balancesCheckedAt" IS NULL
      OR c."balancesCheckedAt" < ${new Date(at.getTime() - spacingMs)}::timestamp(3))
    ORDER BY c."id" LIMIT ${limit}`);
  return rows.map((r) => r.id);
}
