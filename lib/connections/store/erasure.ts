import "server-only";
import { Prisma } from "@prisma/client";
import type { Sql } from "@/lib/db";

/** Rows a user's deletion leaves outside the cascade from User (no foreign key to it). */
export async function eraseUnlinkedRows(userId: string, tx: Sql): Promise<void> {
  const theirs = Prisma.sql`("userId" = ${userId}
    OR "connectionId" IN (SELECT "id" FROM "Connection" WHERE "userId" = ${userId}))`;
  // An exchange whose answer never came may have left a live grant nobody holds: it stays counted, unlinked. One
  // still in flight stays too, unlinked, so the grant its answer brings has a row to land on (and be queued from).
  const waiting = Prisma.sql`("outcome" LIKE '%outcome_unknown%' OR "outcome" LIKE '%:pending')`;
  await tx(
    Prisma.sql`UPDATE "CodeExchange" SET "userId" = NULL, "connectionId" = NULL WHERE ${theirs} AND ${waiting}`,
  );
  // A grant on its exchange row, or one an exchange claimed since the statement above may bring, is kept for the sweep.
  await tx(Prisma.sql`
    DELETE FROM "CodeExchange" WHERE ${theirs} AND "grantSealed" IS NULL AND NOT ${waiting}`);
}
