import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";

// UK SCA-RTS Art. 36(5)(b): without the user present, at most four reads per account in 24 hours.
export const UNATTENDED_READS_PER_DAY = 4;
const DAY_MS = 24 * 60 * 60 * 1000;

export type BalanceReadClaim = {
  connectionId: string;
  userId: string;
  accessTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
  accounts: { id: string; truelayerAccountId: string }[];
};

export type ReadWhen = {
  // Only connections whose balances were last asked for before this (now() for a forced read).
  checkedBefore: Date;
  // Sent without X-PSU-IP (the user absent, or no trusted proxy vouching for their address): counted,
  // and refused once four were counted in 24 hours.
  unattended?: boolean;
};

const readable = (at: Date) => Prisma.sql`c."status" = 'ACTIVE' AND c."consentExpiresAt" > ${at}::timestamp(3)
  AND 'balance' = ANY(c."scopes")`;

export type ReadTarget =
  | { connectionIds: string[]; userId?: string }
  | { userId: string; changedSince: Date };

/**
 * Claims reads in one statement: concurrent viewers and instances see the row locked and re-check, so one
 * of them reads. An unattended read is counted here, before anything is sent, so a crash never undercounts.
 */
export async function claimBalanceReads(target: ReadTarget, when: ReadWhen): Promise<BalanceReadClaim[]> {
  const at = now();
  const dayAgo = new Date(at.getTime() - DAY_MS);
  const recent = Prisma.sql`ARRAY(SELECT t FROM unnest(COALESCE(c."unattendedReadsAt", '{}')) t
    WHERE t > ${dayAgo}::timestamp(3) ORDER BY t)`;
  const which =
    "changedSince" in target
      ? Prisma.sql`c."userId" = ${target.userId} AND c."updatedAt" >= ${target.changedSince}::timestamp(3)`
      : Prisma.sql`c."id" = ANY(${target.connectionIds}::text[])
        ${target.userId ? Prisma.sql`AND c."userId" = ${target.userId}` : Prisma.empty}`;
  const { rows } = await sql<BalanceReadClaim>(Prisma.sql`
    UPDATE "Connection" c SET "balancesCheckedAt" = ${at}::timestamp(3)
      ${when.unattended ? Prisma.sql`, "unattendedReadsAt" = ${recent} || ${at}::timestamp(3)` : Prisma.empty}
    WHERE ${which} AND ${readable(at)}
      AND (c."balancesCheckedAt" IS NULL OR c."balancesCheckedAt" < ${when.checkedBefore}::timestamp(3))
      ${when.unattended ? Prisma.sql`AND cardinality(${recent}) < ${UNATTENDED_READS_PER_DAY}` : Prisma.empty}
    RETURNING c."id" AS "connectionId", c."userId", c."accessTokenSealed", c."accessTokenExpiresAt",
      COALESCE((SELECT json_agg(json_build_object('id', a."id", 'truelayerAccountId', a."truelayerAccountId")
        ORDER BY a."createdAt", a."id") FROM "BankAccount" a WHERE a."connectionId" = c."id"), '[]'::json)
        AS "accounts"`);
  return rows;
}

/** After a refresh by another request: the access token it stored. */
export async function currentAccessToken(
  connectionId: string,
): Promise<{ accessTokenSealed: string | null; accessTokenExpiresAt: Date | null } | null> {
  const { rows } = await sql<{ accessTokenSealed: string | null; accessTokenExpiresAt: Date | null }>(
    Prisma.sql`SELECT "accessTokenSealed", "accessTokenExpiresAt" FROM "Connection"
      WHERE "id" = ${connectionId} AND "status" = 'ACTIVE'`,
  );
  return rows[0] ?? null;
}

export type BalanceFigures = {
  accountId: string;
  current: number;
  available: number;
  currency: string;
};

// Stopping wins: figures that arrive after the user stopped sharing are dropped.
export async function storeBalances(connectionId: string, figures: BalanceFigures[]): Promise<void> {
  if (figures.length === 0) return;
  await sql(Prisma.sql`
    UPDATE "BankAccount" a SET "balanceCurrent" = x."current", "balanceAvailable" = x."available",
      "balanceCurrency" = x."currency", "balanceReadAt" = ${now()}::timestamp(3)
    FROM json_to_recordset(${JSON.stringify(figures)}::json)
      AS x("accountId" text, "current" numeric, "available" numeric, "currency" text)
    WHERE a."id" = x."accountId" AND a."connectionId" = ${connectionId}
      AND EXISTS (SELECT 1 FROM "Connection" c WHERE c."id" = ${connectionId} AND c."status" <> 'REVOKED')`);
}

// The user's latest answer on renewing was no: access runs out as granted, but nobody reads in their absence.
const declined = Prisma.sql`c."declinedAt" IS NOT NULL`;

/** Connections a scheduled run may read: live, not declined, and not asked for within `spacingMs`. */
export async function connectionsDueForScheduledRead(spacingMs: number, limit: number): Promise<string[]> {
  const at = now();
  const dayAgo = new Date(at.getTime() - DAY_MS);
  const { rows } = await sql<{ id: string }>(Prisma.sql`
    SELECT c."id" FROM "Connection" c
    WHERE ${readable(at)} AND NOT ${declined} AND (SELECT count(*) FROM unnest(COALESCE(c."unattendedReadsAt", '{}')) t
        WHERE t > ${dayAgo}::timestamp(3)) < ${UNATTENDED_READS_PER_DAY}
      AND (c."balancesCheckedAt" IS NULL
      OR c."balancesCheckedAt" < ${new Date(at.getTime() - spacingMs)}::timestamp(3))
    ORDER BY c."balancesCheckedAt" NULLS FIRST, c."id" LIMIT ${limit}`);
  return rows.map((r) => r.id);
}
