import "server-only";
import { Prisma } from "@prisma/client";
import { sql } from "@/lib/db";

// Deletes in batches, so no statement holds locks for long beside live traffic (docs/decisions/024-retention.md).

const BATCH = 5000;

async function inBatches(statement: Prisma.Sql, deadline: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await sql(statement);
    total += rowCount;
    if (rowCount < BATCH || Date.now() >= deadline) return total;
  }
}

// Table and column are ours (the calls below), never input.
const pruneOlder = (table: string, column: string, before: Date, deadline: number) =>
  inBatches(
    Prisma.sql`DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE "id" IN (
      SELECT "id" FROM ${Prisma.raw(`"${table}"`)} WHERE ${Prisma.raw(`"${column}"`)} < ${before}::timestamp(3)
      LIMIT ${BATCH})`,
    deadline,
  );

/** Cascades to the record's items, owner, outcomes and the events that named it. */
export const pruneConsentRecords = (before: Date, deadline: number) =>
  pruneOlder("Reconfirmation", "createdAt", before, deadline);

export const pruneConnectionEvents = (before: Date, deadline: number) =>
  pruneOlder("ConnectionEvent", "createdAt", before, deadline);

/** Used or expired bank-trip states (they hold sealed PKCE verifiers). */
export const pruneAuthStates = (before: Date, deadline: number) =>
  inBatches(
    Prisma.sql`DELETE FROM "AuthState" WHERE "id" IN (
      SELECT "id" FROM "AuthState" WHERE "expiresAt" < ${before}::timestamp(3) OR "consumedAt" < ${before}::timestamp(3)
      LIMIT ${BATCH})`,
    deadline,
  );

/** Kept while a parked return still points at one, or it still holds a grant (the sweep queues it first). */
export const pruneCodeExchanges = (before: Date, deadline: number) =>
  inBatches(
    Prisma.sql`DELETE FROM "CodeExchange" WHERE "id" IN (
      SELECT x."id" FROM "CodeExchange" x WHERE x."createdAt" < ${before}::timestamp(3) AND x."grantSealed" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "ParkedReturn" p WHERE p."exchangeId" = x."id") LIMIT ${BATCH})`,
    deadline,
  );

/** Form_post returns are carried in a cookie now; rows an earlier release stored are deleted once expired. */
export const pruneCallbackPosts = (at: Date, deadline: number) =>
  pruneOlder("CallbackPost", "expiresAt", at, deadline);

/** Stopping erases a connection's figures; this erases any a read stored as it stopped, or before that rule. */
export const eraseStoppedFigures = (deadline: number) =>
  inBatches(
    Prisma.sql`UPDATE "BankAccount" SET "balanceCurrent" = NULL, "balanceAvailable" = NULL, "balanceCurrency" = NULL,
      "balanceReadAt" = NULL
      WHERE "id" IN (SELECT a."id" FROM "BankAccount" a JOIN "Connection" c ON c."id" = a."connectionId"
        WHERE c."status" = 'REVOKED' AND (a."balanceReadAt" IS NOT NULL OR a."balanceCurrent" IS NOT NULL)
        LIMIT ${BATCH})`,
    deadline,
  );
