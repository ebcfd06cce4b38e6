import "server-only";
import { createHash } from "node:crypto";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { COMMIT_WITHOUT_FLUSH, sql } from "@/lib/db";

export type RateLimitRule = {
  // Part of the key, so scopes never share a counter.
  scope: string;
  // Stored only as a hash.
  key: string;
  limit: number;
  windowSeconds: number;
};

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

function storedKey(scope: string, key: string): string {
  return createHash("sha256").update(`${scope}\n${key}`).digest("hex");
}

// INSERT … ON CONFLICT DO UPDATE … RETURNING: concurrent requests on any instance get distinct counts, so the limit
// holds exactly; SQL of our own (decision 013).
export function countAttempt(rule: RateLimitRule) {
  const windowMs = rule.windowSeconds * 1000;
  const at = now().getTime();
  const windowStart = new Date(Math.floor(at / windowMs) * windowMs);
  return {
    statement: Prisma.sql`
      INSERT INTO "RateLimit" ("key", "windowStart", "count")
      VALUES (${storedKey(rule.scope, rule.key)}, ${windowStart}::timestamp(3), 1)
      ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimit"."count" + 1
      RETURNING "count"`,
    judge: (count: number | undefined): RateLimitResult => ({
      allowed: (count ?? Number.POSITIVE_INFINITY) <= rule.limit,
      retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - at) / 1000)),
    }),
  };
}

// The counters are disposable: a count lost in a database crash only forgives an attempt.
export function attemptStatement(statement: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`WITH attempt AS (${statement}) SELECT "count", ${COMMIT_WITHOUT_FLUSH} FROM attempt`;
}

export async function checkRateLimit(rule: RateLimitRule): Promise<RateLimitResult> {
  const attempt = countAttempt(rule);
  const { rows } = await sql<{ count: number }>(attemptStatement(attempt.statement));
  return attempt.judge(rows[0]?.count);
}

// Safe to run at any time: the counters are disposable.
export async function pruneRateLimits(before: Date): Promise<number> {
  const { rowCount } = await sql(
    Prisma.sql`DELETE FROM "RateLimit" WHERE "windowStart" < ${before}::timestamp(3)`,
  );
  return rowCount;
}

export function waitInWords(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes % 60 === 0) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

// Only for the bench's durable floor (lib/bench/durable-floor.ts): two commits that each wait for the disk.
export async function countTwiceDurably(key: string): Promise<void> {
  const durably = Prisma.sql`set_config('synchronous_commit', 'on', true)`;
  const at = now();
  await sql(Prisma.sql`
    WITH w AS (INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${at}::timestamp(3), 1))
    SELECT ${durably}`);
  await sql(Prisma.sql`
    WITH w AS (UPDATE "RateLimit" SET "count" = "count" + 1 WHERE "key" = ${key} AND "windowStart" = ${at}::timestamp(3))
    SELECT ${durably}`);
}
