import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { type Sql, sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import type { SealedTokens, TokenSuccessor } from "../revoke-tokens";

// A deleted account's connections that TrueLayer has not revoked yet; nothing else of the user is kept here.

export type PendingRevoke = SealedTokens & { id: string; providerName: string; attempts: number };

const LEASE_MS = 60_000;

/** In the deleting transaction: each connection of the user that still holds tokens moves here. */
export async function queuePendingRevokes(userId: string, tx: Sql): Promise<string[]> {
  const { rows } = await tx<{ providerName: string }>(Prisma.sql`
    INSERT INTO "PendingRevoke" ("id", "providerId", "providerName", "accessTokenSealed", "refreshTokenSealed",
      "tokenKeyId", "accessTokenExpiresAt", "nextAttemptAt", "createdAt")
    SELECT ${newId()} || '-' || c."id", c."providerId", c."providerName", c."accessTokenSealed", c."refreshTokenSealed",
      c."tokenKeyId", c."accessTokenExpiresAt", ${now()}::timestamp(3), ${now()}::timestamp(3)
    FROM "Connection" c
    WHERE c."userId" = ${userId} AND (c."accessTokenSealed" IS NOT NULL OR c."refreshTokenSealed" IS NOT NULL)
    RETURNING "providerName"`);
  return rows.map((r) => r.providerName);
}

/** Rows a user's deletion leaves outside the cascade from User (no foreign key to it). */
export async function eraseUnlinkedRows(userId: string, tx: Sql): Promise<void> {
  await tx(Prisma.sql`
    DELETE FROM "CodeExchange" WHERE "userId" = ${userId}
      OR "connectionId" IN (SELECT "id" FROM "Connection" WHERE "userId" = ${userId})`);
}

/** Claims due rows for one attempt each; a crashed attempt's claim lapses after a minute. */
export async function claimDuePendingRevokes(limit: number): Promise<PendingRevoke[]> {
  const at = now();
  const { rows } = await sql<PendingRevoke>(Prisma.sql`
    UPDATE "PendingRevoke" p SET "leaseExpiresAt" = ${new Date(at.getTime() + LEASE_MS)}::timestamp(3)
    WHERE p."id" IN (
      SELECT "id" FROM "PendingRevoke"
      WHERE "nextAttemptAt" <= ${at}::timestamp(3)
        AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < ${at}::timestamp(3))
      ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING p."id", p."providerName", p."attempts", p."accessTokenSealed", p."refreshTokenSealed",
      p."accessTokenExpiresAt"`);
  return rows;
}

export async function storePendingSuccessor(id: string, successor: TokenSuccessor): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "PendingRevoke" SET "accessTokenSealed" = ${successor.accessTokenSealed},
      "refreshTokenSealed" = COALESCE(${successor.refreshTokenSealed ?? null}, "refreshTokenSealed"),
      "tokenKeyId" = ${successor.tokenKeyId}, "accessTokenExpiresAt" = ${successor.accessTokenExpiresAt}::timestamp(3)
    WHERE "id" = ${id}`);
}

/** Revoked, or the refresh token is dead: the tokens go. */
export async function finishPendingRevoke(id: string): Promise<void> {
  await sql(Prisma.sql`DELETE FROM "PendingRevoke" WHERE "id" = ${id}`);
}

export async function postponePendingRevoke(id: string, until: Date, error: string): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "PendingRevoke" SET "attempts" = "attempts" + 1, "nextAttemptAt" = ${until}::timestamp(3),
      "lastError" = ${error}, "leaseExpiresAt" = NULL
    WHERE "id" = ${id}`);
}

export async function countPendingRevokes(): Promise<number> {
  const { rows } = await sql<{ n: number }>(Prisma.sql`SELECT count(*)::int AS "n" FROM "PendingRevoke"`);
  return rows[0]?.n ?? 0;
}
