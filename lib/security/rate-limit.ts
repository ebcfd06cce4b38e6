import "server-only";
import { createHash } from "node:crypto";
import { now } from "@/lib/clock";
import { db } from "@/lib/db";

export type RateLimitRule = {
  /** What is limited, e.g. "signin-address"; part of the key so scopes never share a counter. */
  scope: string;
  /** Who is limited: a user id, an email address, an IP. Stored only as a hash. */
  key: string;
  limit: number;
  windowSeconds: number;
};

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

function storedKey(scope: string, key: string): string {
  return createHash("sha256").update(`${scope}\n${key}`).digest("hex");
}

/**
 * Counts one attempt in a fixed window and says whether it is within the limit. Prisma runs this
 * upsert as one INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent requests on any number of
 * server instances each get a distinct count and the limit holds exactly (tested with 40 at once).
 */
export async function checkRateLimit(rule: RateLimitRule): Promise<RateLimitResult> {
  const windowMs = rule.windowSeconds * 1000;
  const at = now().getTime();
  const windowStart = new Date(Math.floor(at / windowMs) * windowMs);
  const { count } = await db().rateLimit.upsert({
    where: { key_windowStart: { key: storedKey(rule.scope, rule.key), windowStart } },
    create: { key: storedKey(rule.scope, rule.key), windowStart, count: 1 },
    update: { count: { increment: 1 } },
    select: { count: true },
  });
  return {
    allowed: count <= rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - at) / 1000)),
  };
}

/** Deletes windows that ended before `before`; safe to run at any time (the counters are disposable). */
export async function pruneRateLimits(before: Date): Promise<number> {
  const { count } = await db().rateLimit.deleteMany({ where: { windowStart: { lt: before } } });
  return count;
}

/** "3 minutes", "1 hour": how long to wait, rounded up to whole minutes. */
export function waitInWords(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes % 60 === 0) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
