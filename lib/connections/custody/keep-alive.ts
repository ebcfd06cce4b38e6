import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { failureFields, log } from "@/lib/log";
import { refreshHeld } from "./access-token";
import { hold, release } from "./hold";
import type { Claimed } from "./statements";

// TrueLayer: use a refresh token within 30 days; its last use is read from the access token's expiry (decision 061).
export const KEEP_ALIVE_AFTER_DAYS = 25;
const DAY_MS = 86_400_000;
const BATCH = 200;
const CONCURRENCY = 16;

export type KeepAliveSummary = { refreshed: number; failed: number; skipped: number; finished: boolean };

type Due = { id: string; accessTokenExpiresAt: Date };

const usedBefore = (at: Date) => new Date(at.getTime() - KEEP_ALIVE_AFTER_DAYS * DAY_MS);

// Live and not lapsed (decision 061); oldest first, by a keyset on (expiry, id), so a run never rescans.
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

/** Decision 061's keep-alive, claimed by the custody lease: concurrent runs refresh each once; the next resumes. */
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
