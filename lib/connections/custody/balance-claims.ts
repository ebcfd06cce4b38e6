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
  // Sent without X-PSU-IP (the user absent, or no trusted proxy vouching for their address): counted,
  // and refused once four were counted in 24 hours.
  unattended?: boolean;
};

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
      ${when.unattended ? Prisma.sql`AND cardinality(${recent}) < ${UNATTENDED_READS_PER_DAY} AND ${notPaused(at)}` : Prisma.empty}
    RETURNING c."id" AS "connectionId", c."userId", c."accessTokenSealed", c."accessTokenExpiresAt",
      COALESCE((SELECT json_agg(json_build_object('id', a."id", 'truelayerAccountId', a."truelayerAccountId")
        ORDER BY a."createdAt", a."id") FROM "BankAccount" a WHERE a."connectionId" = c."id"), '[]'::json)
        AS "accounts"`);
  return rows;
}

/**
 * The same claim folded into the statement that stores a renewal's or a connect's tokens, so reading the new
 * balances costs no statement of its own: SET items for that row's UPDATE (or values for its INSERT), under the
 * same rules as claimBalanceReads with `checkedBefore` now. The statement's caller must know the row is readable
 * once written (ACTIVE, consent ending after `at`); `'balance' = ANY(scopes)` and the unattended limit are
 * checked here. Column names are unqualified: they are the written row's own.
 */
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

/** The claim's columns, from the written row `c` (see claimOnWrite's `returning`), null when not claimed. */
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

/** The bank refused an unattended read (429): no more of them for this connection until `until`. */
export async function pauseUnattendedReads(connectionId: string, until: Date): Promise<void> {
  await sql(Prisma.sql`UPDATE "Connection" SET "unattendedReadsPausedUntil" = ${until}::timestamp(3)
    WHERE "id" = ${connectionId}`);
}
