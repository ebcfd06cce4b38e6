import "server-only";
import { Prisma } from "@prisma/client";
import type { Sql } from "@/lib/db";

/** Rows a user's deletion leaves outside the cascade from User (no foreign key to it). */
export async function eraseUnlinkedRows(userId: string, tx: Sql): Promise<void> {
  await tx(Prisma.sql`
    DELETE FROM "CodeExchange" WHERE ("userId" = ${userId}
      OR "connectionId" IN (SELECT "id" FROM "Connection" WHERE "userId" = ${userId}))
      -- A grant still on its exchange row is left for the sweep to queue: it must not vanish with the user.
      AND "grantSealed" IS NULL`);
}
