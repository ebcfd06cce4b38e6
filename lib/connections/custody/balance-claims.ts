import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { DAY_MS, notPaused, readable, UNATTENDED_READS_PER_DAY } from "../store/balances";

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
  // Without X-PSU-IP (user absent, or no trusted proxy vouching): counted, and refused once four were in 24 hours.
  unattended?: boolean;
};

export type ReadTarget =
  | { connectionIds: string[]; userId?: string }
  | { userId: string; changedSince: Date };

/** One statement: concurrent claims re-check the locked row, so one reads. An unattended read is counted here, before
 * anything is sent, so a crash never undercounts. */
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
      ${when.unattended ? Prisma.sql`AND cardinality(${recent}) < ${UNATTENDED_READS_PER_DAY} AND ${notPaused(at)}` : Prisma.empty}
    RETURNING c."id" AS "connectionId", c."userId", c."accessTokenSealed", c."accessTokenExpiresAt",
      COALESCE((SELECT json_agg(json_build_object('id', a."id", 'truelayerAccountId', a."truelayerAccountId")
        ORDER BY a."createdAt", a."id") FROM "BankAccount" a WHERE a."connectionId" = c."id"), '[]'::json)
        AS "accounts"`);
  return rows;
}

/** claimBalanceReads (`checkedBefore` now) as SET items of the UPDATE (or values of the INSERT) storing a renewal's
 * or connect's tokens: no statement of its own. The caller knows the row is readable once written (ACTIVE, consent
 * ending after `at`); scopes and the unattended limit are checked here. Columns unqualified: the written row's. */
export function claimOnWrite(at: Date, unattended: boolean) {
  const dayAgo = new Date(at.getTime() - DAY_MS);
  const recent = Prisma.sql`ARRAY(SELECT t FROM unnest(COALESCE("unattendedReadsAt", '{}')) t
    WHERE t > ${dayAgo}::timestamp(3) ORDER BY t)`;
  const claimable = Prisma.sql`('balance' = ANY("scopes")
    AND ("balancesCheckedAt" IS NULL OR "balancesCheckedAt" < ${at}::timestamp(3))
    ${
      unattended
        ? Prisma.sql`AND cardinality(${recent}) < ${UNATTENDED_READS_PER_DAY}
      AND ("unattendedReadsPausedUntil" IS NULL OR "unattendedReadsPausedUntil" <= ${at}::timestamp(3))`
        : Prisma.empty
    })`;
  const sets = [
    Prisma.sql`"balancesCheckedAt" = CASE WHEN ${claimable} THEN ${at}::timestamp(3) ELSE "balancesCheckedAt" END`,
    ...(unattended
      ? [
          Prisma.sql`"unattendedReadsAt" = CASE WHEN ${claimable} THEN ${recent} || ${at}::timestamp(3)
            ELSE "unattendedReadsAt" END`,
        ]
      : []),
  ];
  return {
    sets,
    /** RETURNING items of the written row (`c`) that the claim is read from; `readClaimed` says whether it was. */
    returning: Prisma.sql`"balancesCheckedAt" = ${at}::timestamp(3) AS "readClaimed", "userId",
      "accessTokenSealed", "accessTokenExpiresAt"`,
  };
}

export const claimedReadColumns = Prisma.sql`c."readClaimed", c."userId", c."accessTokenSealed",
  c."accessTokenExpiresAt", CASE WHEN c."readClaimed" THEN COALESCE((SELECT json_agg(json_build_object('id', a."id",
    'truelayerAccountId', a."truelayerAccountId") ORDER BY a."createdAt", a."id") FROM "BankAccount" a
    WHERE a."connectionId" = c."id"), '[]'::json) END AS "accounts"`;

export type ClaimedReadRow = {
  readClaimed: boolean | null;
  userId: string;
  accessTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
  accounts: BalanceReadClaim["accounts"] | null;
};

export function claimFromRow(connectionId: string, row: ClaimedReadRow): BalanceReadClaim | undefined {
  if (!row.readClaimed) return undefined;
  return {
    connectionId,
    userId: row.userId,
    accessTokenSealed: row.accessTokenSealed,
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    accounts: row.accounts ?? [],
  };
}

export async function pauseUnattendedReads(connectionId: string, until: Date): Promise<void> {
  await sql(Prisma.sql`UPDATE "Connection" SET "unattendedReadsPausedUntil" = ${until}::timestamp(3)
    WHERE "id" = ${connectionId}`);
}
