import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { newId } from "@/lib/ids";

// Only for app/bench/durable (builds made for `npm run bench`): the physical floor of a renewal, two single-row
// writes in two transactions of their own, each waiting for the disk (synchronous_commit on, whatever the
// server's default), as the consent record before TrueLayer is called and the stored answer after it do. A
// RateLimit row under a key of its own touches nothing the app counts.
const durably = Prisma.sql`set_config('synchronous_commit', 'on', true)`;

export async function twoDurableWrites(userId: string): Promise<void> {
  const key = `bench-durable:${userId}:${newId()}`;
  const at = now();
  await sql(Prisma.sql`
    WITH w AS (INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${at}::timestamp(3), 1))
    SELECT ${durably}`);
  await sql(Prisma.sql`
    WITH w AS (UPDATE "RateLimit" SET "count" = "count" + 1 WHERE "key" = ${key} AND "windowStart" = ${at}::timestamp(3))
    SELECT ${durably}`);
}
