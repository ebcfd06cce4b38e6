"use server";
import { Prisma } from "@prisma/client";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { newId } from "@/lib/ids";

// Only imported by app/bench/durable/page.bench.tsx, so only in builds made for the bench. The physical floor of a
// renewal: the action floor's wrapper, then two single-row writes in two transactions of their own, each of
// which waits for the disk (synchronous_commit on, whatever the server's default), as the consent record before
// TrueLayer is called and the stored answer after it do. A RateLimit row under a key of its own touches nothing
// the app counts.
const durably = Prisma.sql`set_config('synchronous_commit', 'on', true)`;

export const durableAction = authedAction(
  z.object({}),
  async (_input, user) => {
    const key = `bench-durable:${user.id}:${newId()}`;
    const at = now();
    await sql(Prisma.sql`
      WITH w AS (INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${at}::timestamp(3), 1))
      SELECT ${durably}`);
    await sql(Prisma.sql`
      WITH w AS (UPDATE "RateLimit" SET "count" = "count" + 1 WHERE "key" = ${key} AND "windowStart" = ${at}::timestamp(3))
      SELECT ${durably}`);
    redirect("/bench/static");
  },
  { signInReturnTo: "/bench/durable" },
);
