import "server-only";
import { Prisma } from "@prisma/client";
import { sql } from "@/lib/db";

export const TRIP_WINDOW_MS = 60 * 60 * 1000;

// An extend bank trip under way: the connection's trip facts (written by custody's sent_to_bank).
export type Trip = {
  id: string;
  userId: string;
  providerId: string;
  providerName: string;
  credentialsId: string | null;
  reconfirmationId: string | null;
  /** Keyed hashes of the stored accounts' numbers (those that have one). */
  fingerprints: string[];
  sentAt: Date;
};

export function pendingTripsStatement(
  where: { secretHashes: string[] } | { userId: string },
  at: Date,
): Prisma.Sql {
  const which =
    "userId" in where
      ? Prisma.sql`c."userId" = ${where.userId}`
      : Prisma.sql`c."tripSecretHash" = ANY(${where.secretHashes}::text[])`;
  return Prisma.sql`
    SELECT c."id", c."userId", c."providerId", c."providerName", c."credentialsId",
      c."tripReconfirmationId" AS "reconfirmationId", c."tripSentAt" AS "sentAt",
      ARRAY(SELECT a."fingerprint" FROM "BankAccount" a
        WHERE a."connectionId" = c."id" AND a."fingerprint" IS NOT NULL) AS "fingerprints"
    FROM "Connection" c
    WHERE ${which} AND c."status" <> 'REVOKED'
      AND c."tripSentAt" > ${new Date(at.getTime() - TRIP_WINDOW_MS)}::timestamp(3)
    ORDER BY c."tripSentAt" DESC`;
}

export async function pendingTrips(
  where: { secretHashes: string[] } | { userId: string },
  at: Date,
): Promise<Trip[]> {
  if ("secretHashes" in where && where.secretHashes.length === 0) return [];
  const { rows } = await sql<Trip>(pendingTripsStatement(where, at));
  return rows;
}
