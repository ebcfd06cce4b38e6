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

/** The bank refused an unattended read (429): no more of them for this connection until `until`. */
export async function pauseUnattendedReads(connectionId: string, until: Date): Promise<void> {
  await sql(Prisma.sql`UPDATE "Connection" SET "unattendedReadsPausedUntil" = ${until}::timestamp(3)
    WHERE "id" = ${connectionId}`);
}
