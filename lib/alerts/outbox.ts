import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { ALERT_KINDS, type AlertKind, windowStart } from "./kinds";

// The only writer of OperatorAlert (decision 051).

export type AlertRow = {
  id: string;
  kind: string;
  windowStart: Date;
  summary: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  deliveredAt: Date | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
};

/** Decision 051's upsert; true once the row exists (only then are users told). Never throws into the user's flow. */
export async function raiseAlert(
  kind: AlertKind,
  summary: string,
): Promise<{ raised: boolean; first: boolean }> {
  const at = now();
  try {
    const { rows } = await sql<{ first: boolean }>(Prisma.sql`
      INSERT INTO "OperatorAlert" ("id", "kind", "windowStart", "summary", "firstAt", "lastAt")
      VALUES (${newId()}, ${kind}, ${windowStart(kind, at)}::timestamp(3), ${summary}, ${at}::timestamp(3),
        ${at}::timestamp(3))
      ON CONFLICT ("kind", "windowStart") DO UPDATE SET "count" = "OperatorAlert"."count" + 1,
        "lastAt" = GREATEST("OperatorAlert"."lastAt", EXCLUDED."lastAt")
      RETURNING (xmax = 0) AS "first"`);
    const first = rows[0]?.first ?? false;
    if (first) log.error("operator_alert.raised", { kind });
    return { raised: true, first };
  } catch (error) {
    log.error("operator_alert.not_recorded", {
      kind,
      errorName: error instanceof Error ? error.name : "unknown",
    });
    return { raised: false, first: false };
  }
}

const CLAIM_MS = 60_000;

/** Undelivered alerts due a try, each leased for a minute so two runs never post one twice at once. */
export async function claimUndelivered(limit = 20): Promise<AlertRow[]> {
  const at = now();
  const { rows } = await sql<AlertRow>(Prisma.sql`
    UPDATE "OperatorAlert" a SET "nextAttemptAt" = ${new Date(at.getTime() + CLAIM_MS)}::timestamp(3)
    WHERE a."id" IN (
      SELECT "id" FROM "OperatorAlert"
      WHERE "deliveredAt" IS NULL AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${at}::timestamp(3))
      ORDER BY "firstAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING a.*`);
  return rows;
}

export async function markDelivered(id: string): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "OperatorAlert" SET "deliveredAt" = ${now()}::timestamp(3), "nextAttemptAt" = NULL, "lastError" = NULL,
      "attempts" = "attempts" + 1
    WHERE "id" = ${id}`);
}

// 5 min, 10, 20 … capped at 6 h: a webhook down for a while still hears of it the same day.
const retryDelay = (attempts: number) => Math.min(6 * 3_600_000, 5 * 60_000 * 2 ** Math.min(attempts, 7));

export async function markFailed(row: AlertRow, error: string): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "OperatorAlert" SET "attempts" = "attempts" + 1, "lastError" = ${error},
      "nextAttemptAt" = ${new Date(now().getTime() + retryDelay(row.attempts))}::timestamp(3)
    WHERE "id" = ${row.id}`);
}

export async function recentAlerts(limit = 50): Promise<AlertRow[]> {
  const { rows } = await sql<AlertRow>(
    Prisma.sql`SELECT * FROM "OperatorAlert" ORDER BY "lastAt" DESC LIMIT ${limit}`,
  );
  return rows;
}

export const alertTitle = (kind: string) =>
  kind in ALERT_KINDS ? ALERT_KINDS[kind as AlertKind].title : kind.replaceAll("_", " ");
