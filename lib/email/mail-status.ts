import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";

// The only writer of MailStatus: how mail last went, for readiness, which never sends mail to find out.

const ROW = "smtp";
// A success is news only after a failure; else once a minute per server is enough (a reminder run sends thousands).
const SUCCESS_EVERY_MS = 60_000;
let successRecordedAt = Number.NEGATIVE_INFINITY;

export type MailStatus = { lastSentAt: Date | null; lastFailedAt: Date | null; lastError: string | null };

/** After the mail server accepted a message. Never throws: the mail went. */
export async function recordMailSent(): Promise<void> {
  const at = now();
  if (at.getTime() >= successRecordedAt && at.getTime() - successRecordedAt < SUCCESS_EVERY_MS) return;
  successRecordedAt = at.getTime();
  try {
    await sql(Prisma.sql`
      INSERT INTO "MailStatus" ("id", "lastSentAt") VALUES (${ROW}, ${at}::timestamp(3))
      ON CONFLICT ("id") DO UPDATE SET "lastSentAt" = GREATEST("MailStatus"."lastSentAt", EXCLUDED."lastSentAt")`);
  } catch {
    successRecordedAt = Number.NEGATIVE_INFINITY;
  }
}

/** After a send failed, with our own code for it (sendErrorCode). Never throws: the caller reports the failure. */
export async function recordMailFailed(code: string): Promise<void> {
  successRecordedAt = Number.NEGATIVE_INFINITY;
  const at = now();
  try {
    await sql(Prisma.sql`
      INSERT INTO "MailStatus" ("id", "lastFailedAt", "lastError") VALUES (${ROW}, ${at}::timestamp(3), ${code})
      ON CONFLICT ("id") DO UPDATE SET "lastFailedAt" = EXCLUDED."lastFailedAt", "lastError" = EXCLUDED."lastError"`);
  } catch {
    // Readiness then shows the last state it knew.
  }
}

export async function mailStatus(): Promise<MailStatus | null> {
  const { rows } = await sql<MailStatus>(
    Prisma.sql`SELECT "lastSentAt", "lastFailedAt", "lastError" FROM "MailStatus" WHERE "id" = ${ROW}`,
  );
  return rows[0] ?? null;
}
