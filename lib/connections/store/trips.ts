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

/** For a return with no trip under way (a bank page an earlier trip left open): the connection this browser (or
 * its signed-in user) sent to its bank within the trip window and that was renewed since. */
export async function renewedSinceTrip(
  who: { secretHashes: string[]; userId: string | null },
  at: Date,
): Promise<string | null> {
  if (who.secretHashes.length === 0 && !who.userId) return null;
  const byBrowser = Prisma.sql`s."browserHash" = ANY(${who.secretHashes}::text[])`;
  const { rows } = await sql<{ id: string }>(Prisma.sql`
    SELECT c."id" FROM "ConnectionEvent" s JOIN "Connection" c ON c."id" = s."connectionId"
    WHERE s."type" = 'SENT_TO_BANK' AND s."createdAt" > ${new Date(at.getTime() - TRIP_WINDOW_MS)}::timestamp(3)
      AND ${who.userId ? Prisma.sql`c."userId" = ${who.userId}` : byBrowser} AND c."status" <> 'REVOKED'
      AND EXISTS (SELECT 1 FROM "ConnectionEvent" r WHERE r."connectionId" = c."id"
        AND r."type" IN ('EXTENDED', 'COMPLETED_AT_BANK') AND r."createdAt" >= s."createdAt")
    ORDER BY s."createdAt" DESC LIMIT 1`);
  return rows[0]?.id ?? null;
}
