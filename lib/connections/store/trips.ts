import "server-only";
import { Prisma } from "@prisma/client";
import { type Sql, sql } from "@/lib/db";
import { TRIP_EVENTS } from "./events";

export const TRIP_WINDOW_MS = 60 * 60 * 1000;

// Its latest trip event is SENT_TO_BANK.
export type Trip = {
  id: string;
  userId: string;
  providerId: string;
  credentialsId: string | null;
  reconfirmationId: string | null;
  accountIds: string[];
  /** accountFingerprint of the stored accounts that have one. */
  fingerprints: string[];
  browserHash: string | null;
  sentAt: Date;
};

type TripWhere =
  | { credentialsId: string }
  | { providerId: string }
  | { userId: string }
  | { browserHash: string };

function whereOf(where: TripWhere): Prisma.Sql {
  if ("credentialsId" in where) return Prisma.sql`c."credentialsId" = ${where.credentialsId}`;
  if ("providerId" in where) return Prisma.sql`c."providerId" = ${where.providerId}`;
  if ("userId" in where) return Prisma.sql`c."userId" = ${where.userId}`;
  return Prisma.sql`t."browserHash" = ${where.browserHash}`;
}

export async function findTrips(where: TripWhere, tx?: Sql): Promise<Trip[]> {
  const statement = Prisma.sql`
    SELECT c."id", c."userId", c."providerId", c."credentialsId", t."reconfirmationId", t."browserHash",
      t."createdAt" AS "sentAt",
      ARRAY(SELECT a."truelayerAccountId" FROM "BankAccount" a WHERE a."connectionId" = c."id") AS "accountIds",
      ARRAY(SELECT a."fingerprint" FROM "BankAccount" a
        WHERE a."connectionId" = c."id" AND a."fingerprint" IS NOT NULL) AS "fingerprints"
    FROM "Connection" c
    CROSS JOIN LATERAL (
      SELECT e."type", e."reconfirmationId", e."browserHash", e."createdAt" FROM "ConnectionEvent" e
      WHERE e."connectionId" = c."id" AND e."type"::text = ANY(${[...TRIP_EVENTS]}::text[])
      ORDER BY e."createdAt" DESC, e."id" DESC LIMIT 1
    ) t
    WHERE c."status" <> 'REVOKED' AND t."type" = 'SENT_TO_BANK' AND ${whereOf(where)}`;
  const { rows } = tx ? await tx<Trip>(statement) : await sql<Trip>(statement);
  return rows;
}

// Only while one is under way is a code with no state of ours worth a call to TrueLayer.
export async function anyTripPending(at: Date): Promise<boolean> {
  const { rows } = await sql(Prisma.sql`
    SELECT 1 FROM "ConnectionEvent" e
    WHERE e."type" = 'SENT_TO_BANK' AND e."createdAt" > ${new Date(at.getTime() - TRIP_WINDOW_MS)}::timestamp(3)
      AND NOT EXISTS (
        SELECT 1 FROM "ConnectionEvent" l
        WHERE l."connectionId" = e."connectionId" AND l."type" IN ('COMPLETED_AT_BANK', 'FAILED', 'EXTENDED')
          AND (l."createdAt", l."id") > (e."createdAt", e."id"))
    LIMIT 1`);
  return rows.length > 0;
}
