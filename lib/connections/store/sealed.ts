import "server-only";
import { Prisma, type PrismaClient } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";

// For re-sealing under a new key. Parked returns live 30 minutes and are not re-sealed.

export type SealedConnection = {
  id: string;
  version: number;
  accessTokenSealed: string | null;
  refreshTokenSealed: string | null;
};

export async function sealedConnections(prisma: PrismaClient, cursor: string, limit: number) {
  const { rows } = await sql<SealedConnection>(
    Prisma.sql`
      SELECT "id", "version", "accessTokenSealed", "refreshTokenSealed" FROM "Connection"
      WHERE "id" > ${cursor} AND ("accessTokenSealed" IS NOT NULL OR "refreshTokenSealed" IS NOT NULL)
      ORDER BY "id" LIMIT ${limit}`,
    prisma,
  );
  return rows;
}

// Only the exact row read, and not while a lease holder may store a successor token. The version is left
// alone, so no lease in flight is disturbed.
export async function resealConnection(
  prisma: PrismaClient,
  row: SealedConnection,
  sealed: { accessTokenSealed: string | null; refreshTokenSealed: string | null; tokenKeyId: string },
): Promise<boolean> {
  const { rowCount } = await sql(
    Prisma.sql`
      UPDATE "Connection" SET "accessTokenSealed" = ${sealed.accessTokenSealed},
        "refreshTokenSealed" = ${sealed.refreshTokenSealed}, "tokenKeyId" = ${sealed.tokenKeyId}
      WHERE "id" = ${row.id} AND "version" = ${row.version}
        AND "accessTokenSealed" IS NOT DISTINCT FROM ${row.accessTokenSealed}
        AND "refreshTokenSealed" IS NOT DISTINCT FROM ${row.refreshTokenSealed}
        AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < ${now()}::timestamp(3))`,
    prisma,
  );
  return rowCount === 1;
}

export async function sealedAuthStates(prisma: PrismaClient, cursor: string, limit: number) {
  const { rows } = await sql<{ id: string; codeVerifierSealed: string }>(
    Prisma.sql`
      SELECT "id", "codeVerifierSealed" FROM "AuthState"
      WHERE "id" > ${cursor} AND "codeVerifierSealed" IS NOT NULL ORDER BY "id" LIMIT ${limit}`,
    prisma,
  );
  return rows;
}

export async function resealAuthState(
  prisma: PrismaClient,
  row: { id: string; codeVerifierSealed: string },
  verifier: string,
): Promise<boolean> {
  const { rowCount } = await sql(
    Prisma.sql`
      UPDATE "AuthState" SET "codeVerifierSealed" = ${verifier}
      WHERE "id" = ${row.id} AND "codeVerifierSealed" = ${row.codeVerifierSealed}`,
    prisma,
  );
  return rowCount === 1;
}
