import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { newId } from "@/lib/ids";

// The only writer of ScheduledRun.

const KEEP_MS = 30 * 86_400_000;

export type ScheduledRunRow = {
  startedAt: Date;
  endedAt: Date | null;
  finished: boolean | null;
  late: boolean | null;
};

export async function startScheduledRun(): Promise<string> {
  const id = newId();
  const at = now();
  await sql(
    Prisma.sql`DELETE FROM "ScheduledRun" WHERE "startedAt" < ${new Date(at.getTime() - KEEP_MS)}::timestamp(3)`,
  );
  await sql(Prisma.sql`INSERT INTO "ScheduledRun" ("id", "startedAt") VALUES (${id}, ${at}::timestamp(3))`);
  return id;
}

export async function endScheduledRun(
  id: string,
  outcome: { finished: boolean; late: boolean },
): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "ScheduledRun" SET "endedAt" = ${now()}::timestamp(3), "finished" = ${outcome.finished},
      "late" = ${outcome.late}
    WHERE "id" = ${id}`);
}

export async function lastScheduledRun(): Promise<ScheduledRunRow | null> {
  const { rows } = await sql<ScheduledRunRow>(Prisma.sql`
    SELECT "startedAt", "endedAt", "finished", "late" FROM "ScheduledRun" ORDER BY "startedAt" DESC LIMIT 1`);
  return rows[0] ?? null;
}
