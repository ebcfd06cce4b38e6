import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { failureFields, log } from "@/lib/log";
import { refreshHeld } from "./access-token";
import { hold, release } from "./hold";
import type { Claimed } from "./statements";

// TrueLayer: a refresh token must be used within 30 days (docs/decisions/061-a-days-work.md). Every refresh, extend
// or code exchange stores a new access token, so the access token's expiry (at most an hour after it was issued)
// says when the refresh token was last used; past this age it is used once more, here.
export const KEEP_ALIVE_AFTER_DAYS = 25;
const DAY_MS = 86_400_000;
const BATCH = 200;
const CONCURRENCY = 16;

export type KeepAliveSummary = { refreshed: number; failed: number; skipped: number; finished: boolean };

type Due = { id: string; accessTokenExpiresAt: Date };

const usedBefore = (at: Date) => new Date(at.getTime() - KEEP_ALIVE_AFTER_DAYS * DAY_MS);

// Only what a refresh can keep alive: active, consent not yet lapsed (a lapsed one is refused and can only be
// extended), holding a refresh token. Oldest first, by a keyset on (expiry, id), so a run never rescans.
async function dueForKeepAlive(at: Date, after: Due | undefined, limit: number): Promise<Due[]> {
  const keyset = after
    ? Prisma.sql`AND (c."accessTokenExpiresAt", c."id") > (${after.accessTokenExpiresAt}::timestamp(3), ${after.id})`
    : Prisma.empty;
  const { rows } = await sql<Due>(Prisma.sql`
    SELECT c."id", c."accessTokenExpiresAt" FROM "Connection" c
    WHERE c."accessTokenExpiresAt" < ${usedBefore(at)}::timestamp(3) ${keyset}
      AND c."status" = 'ACTIVE' AND c."consentExpiresAt" > ${at}::timestamp(3) AND c."refreshTokenSealed" IS NOT NULL
    ORDER BY c."accessTokenExpiresAt", c."id" LIMIT ${limit}`);
  return rows;
}

// Re-checked on the held row: another run, a read or a renewal may have used the token since it was listed.
function stillDue(held: Claimed, at: Date): boolean {
  return (
    held.status === "ACTIVE" &&
    held.consentExpiresAt > at &&
    held.refreshTokenSealed !== null &&
    held.accessTokenExpiresAt !== null &&
    held.accessTokenExpiresAt < usedBefore(at)
  );
}

async function keepOneAlive(id: string, summary: KeepAliveSummary): Promise<void> {
  // No wait: whoever holds the lease is spending the refresh token already.
  const got = await hold(id, null, "keep-alive");
  if (!("held" in got)) {
    summary.skipped++;
    return;
  }
  if (!stillDue(got.held, now())) {
    await release(got.held);
    summary.skipped++;
    return;
  }
  try {
    const result = await refreshHeld(got.held);
    if ("token" in result) summary.refreshed++;
    else summary.failed++;
  } catch (error) {
    log.warn("custody.keep_alive_failed", { connectionId: id, ...failureFields(error) });
    summary.failed++;
  }
}

/**
 * Uses the refresh token of every live connection whose token has not been used for 25 days, through the one
 * refresh path (refreshHeld: the successor is stored in the statement that replaces it). Claimed by the custody
 * lease, so any number of runs at once refresh each connection once; stops at the deadline, and the next run
 * starts again from the oldest.
 */
export async function keepTokensAlive(options: { deadline: number }): Promise<KeepAliveSummary> {
  const summary: KeepAliveSummary = { refreshed: 0, failed: 0, skipped: 0, finished: false };
  let after: Due | undefined;
  while (Date.now() < options.deadline) {
    const page = await dueForKeepAlive(now(), after, BATCH);
    const queue = page.map((d) => d.id);
    const worker = async () => {
      for (let id = queue.shift(); id && Date.now() < options.deadline; id = queue.shift())
        await keepOneAlive(id, summary);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (queue.length > 0) break;
    if (page.length < BATCH) {
      summary.finished = true;
      break;
    }
    after = page[page.length - 1];
  }
  return summary;
}
