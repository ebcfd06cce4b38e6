import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { type Sql, sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { alertOperator } from "@/lib/operator-alert";
import { recordSecurityEvent } from "@/lib/security/events";
import { TrueLayerError } from "@/lib/truelayer";
import { openSecret } from "../sealed-tokens";
import { truelayer } from "../truelayer-client";
import { type GrantTokens, isLive, newTokensFrom, type RevokeAttempt, revokeGrant } from "./revoke-grant";
import type { BankSnapshot } from "./snapshot";
import { type Claimed, claimStatement, commitStatement, type Lease, releaseStatement } from "./statements";
import type { NewTokens } from "./transitions";

// Grants we gave up that TrueLayer has not confirmed ended; only their tokens, provider and credentials_id are kept.

type Queued = GrantTokens & {
  id: string;
  tokenKeyId: string | null;
  reason: string;
  credentialsId: string | null;
  attempts: number;
  unansweredAt: Date | null;
};

const CLAIM_MS = 60_000;
const HOUR = 60 * 60 * 1000;
// 1 h, 2 h, 4 h … capped at a day: a TrueLayer outage is usually hours, a refresh token lives far longer.
const backoff = (attempts: number) => Math.min(24 * HOUR, HOUR * 2 ** Math.min(attempts, 5));
// invalid_client is ambiguous (decision 043): past this many, with our credentials seen working, the token is dead.
const CLIENT_REJECTED_TRIES = 3;
const CREDENTIALS_SEEN_WORKING_MS = 15 * 60_000;

/** A grant no row holds (a parked return's, a renewal's whose lease lapsed): its credentials_id leads the queue to its
 * connection, else it is revoked. */
export function queueSnapshotGrantStatement(
  s: Pick<BankSnapshot, "tokens" | "accessTokenExpiresAt" | "providerId" | "providerName"> & {
    credentialsId: string | null;
  },
  reason: string,
): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "PendingRevoke" ("id", "providerId", "providerName", "credentialsId", "reason", "accessTokenSealed",
      "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "nextAttemptAt", "createdAt")
    VALUES (${newId()}, ${s.providerId}, ${s.providerName}, ${s.credentialsId}, ${reason}, ${s.tokens.accessTokenSealed},
      ${s.tokens.refreshTokenSealed ?? null}, ${s.tokens.tokenKeyId}, ${s.accessTokenExpiresAt}::timestamp(3),
      ${now()}::timestamp(3), ${now()}::timestamp(3))`;
}

export async function queueUnheldGrant(
  held: Pick<Claimed, "providerId" | "providerName" | "credentialsId">,
  tokens: NewTokens,
  reason: string,
): Promise<void> {
  const { accessTokenExpiresAt, ...sealed } = tokens;
  await sql(queueSnapshotGrantStatement({ ...held, tokens: sealed, accessTokenExpiresAt }, reason));
}

/** First in the deleting transaction, as a renewal's claim locks them: the Connection rows, then the User row. */
export async function lockUserConnections(userId: string, tx: Sql): Promise<void> {
  await tx(Prisma.sql`SELECT "id" FROM "Connection" WHERE "userId" = ${userId} ORDER BY "id" FOR UPDATE`);
}

/** In the deleting transaction: each connection of the user still holding tokens is queued. */
export async function queueUserGrants(userId: string, tx: Sql): Promise<string[]> {
  const { rows } = await tx<{ providerName: string }>(Prisma.sql`
    INSERT INTO "PendingRevoke" ("id", "providerId", "providerName", "credentialsId", "reason", "accessTokenSealed",
      "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "unansweredAt", "nextAttemptAt", "createdAt")
    SELECT ${newId()} || '-' || c."id", c."providerId", c."providerName", c."credentialsId", 'deleted',
      c."accessTokenSealed", c."refreshTokenSealed", c."tokenKeyId", c."accessTokenExpiresAt",
      COALESCE(c."outcomeUnknownAt", c."grantLostAt"), ${now()}::timestamp(3), ${now()}::timestamp(3)
    FROM "Connection" c
    WHERE c."userId" = ${userId} AND (c."accessTokenSealed" IS NOT NULL OR c."refreshTokenSealed" IS NOT NULL)
    ORDER BY c."id" FOR UPDATE OF c
    RETURNING "providerName"`);
  return rows.map((r) => r.providerName);
}

async function claimDue(limit: number, id?: string): Promise<Queued[]> {
  const at = now();
  const which = id ? Prisma.sql`"id" = ${id}` : Prisma.sql`"nextAttemptAt" <= ${at}::timestamp(3)`;
  const { rows } = await sql<Queued>(Prisma.sql`
    UPDATE "PendingRevoke" p SET "leaseExpiresAt" = ${new Date(at.getTime() + CLAIM_MS)}::timestamp(3)
    WHERE p."id" IN (
      SELECT "id" FROM "PendingRevoke"
      WHERE ${which} AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < ${at}::timestamp(3))
      ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING p."id", p."credentialsId", p."attempts", p."accessTokenSealed", p."refreshTokenSealed",
      p."accessTokenExpiresAt", p."unansweredAt", p."tokenKeyId", p."reason"`);
  return rows;
}

async function storeSuccessor(id: string, successor: NewTokens): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "PendingRevoke" SET "accessTokenSealed" = ${successor.accessTokenSealed},
      "refreshTokenSealed" = COALESCE(${successor.refreshTokenSealed ?? null}, "refreshTokenSealed"),
      "tokenKeyId" = ${successor.tokenKeyId}, "accessTokenExpiresAt" = ${successor.accessTokenExpiresAt}::timestamp(3)
    WHERE "id" = ${id}`);
}

async function finish(id: string): Promise<void> {
  await sql(Prisma.sql`DELETE FROM "PendingRevoke" WHERE "id" = ${id}`);
}

async function postpone(row: Queued, error: string): Promise<void> {
  await recordSecurityEvent({ kind: "REVOKE_FAILED", reason: error });
  const until = new Date(now().getTime() + backoff(row.attempts));
  await sql(Prisma.sql`
    UPDATE "PendingRevoke" SET "attempts" = "attempts" + 1, "nextAttemptAt" = ${until}::timestamp(3),
      "lastError" = ${error}, "leaseExpiresAt" = NULL,
      "unansweredAt" = COALESCE("unansweredAt", ${error === "unanswered" ? now() : null}::timestamp(3))
    WHERE "id" = ${row.id}`);
}

// A lost answer (decision 043): TrueLayer rotated the token unheard; kept, never retried, counted for operators.
const LOST = new Date("9999-12-31T00:00:00Z");
async function markLost(row: Queued): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "PendingRevoke" SET "lastError" = 'grant_lost', "nextAttemptAt" = ${LOST}::timestamp(3),
      "leaseExpiresAt" = NULL, "accessTokenSealed" = NULL, "refreshTokenSealed" = NULL
    WHERE "id" = ${row.id}`);
}

// An access token issued within the window means a token call with our credentials succeeded then.
async function credentialsSeenWorking(): Promise<boolean> {
  const since = new Date(now().getTime() + 3600_000 - CREDENTIALS_SEEN_WORKING_MS);
  const { rows } = await sql(Prisma.sql`
    SELECT 1 FROM "Connection" WHERE "accessTokenExpiresAt" > ${since}::timestamp(3) LIMIT 1`);
  return rows.length > 0;
}

export type QueueSummary = {
  revoked: number;
  gone: number;
  goneUnsettled: number;
  lost: number;
  forgotten: number;
  postponed: number;
};

type Run = { summary: QueueSummary; credentialsWork: boolean; alerted: boolean };

// Unknown owner: maybe a re-authentication, so credentials_id is asked first and it is never revoked (decision 043).
const REAUTHENTICATIONS = new Set(["reauth_unreadable", "reauth_unclaimed"]);

async function refreshedAccessToken(row: Queued): Promise<string> {
  const tokens = await truelayer().refreshToken({ refreshToken: openSecret(row.refreshTokenSealed ?? "") });
  const successor = newTokensFrom(tokens, row.refreshTokenSealed);
  await storeSuccessor(row.id, successor);
  Object.assign(row, successor, {
    refreshTokenSealed: successor.refreshTokenSealed ?? row.refreshTokenSealed,
  });
  return tokens.accessToken;
}

async function learnCredentials(row: Queued): Promise<string | null | "unknown" | "unanswered"> {
  if (row.credentialsId || !row.accessTokenSealed) return row.credentialsId;
  const stored = isLive(row) ? openSecret(row.accessTokenSealed) : null;
  try {
    if (!stored && !row.refreshTokenSealed) return null;
    const me = await askMe(row, stored);
    await sql(
      Prisma.sql`UPDATE "PendingRevoke" SET "credentialsId" = ${me.credentialsId} WHERE "id" = ${row.id}`,
    );
    return me.credentialsId;
  } catch (error) {
    if (!(error instanceof TrueLayerError)) throw error;
    if (error.reconnectRequired || error.status === 401) return null;
    return error.outcomeUnknown && error.operation === "refreshToken" ? "unanswered" : "unknown";
  }
}

// An access token refused before the end we computed says nothing of the grant: its refresh token does.
async function askMe(row: Queued, stored: string | null) {
  if (stored)
    try {
      return await truelayer().getMe(stored);
    } catch (error) {
      if (!(row.refreshTokenSealed && error instanceof TrueLayerError && error.status === 401)) throw error;
    }
  return truelayer().getMe(await refreshedAccessToken(row));
}

// A grant a stored connection lives on is that connection's: it takes the grant's tokens if they are the newer.
async function handOver(row: Queued, credentialsId: string): Promise<"done" | "busy" | "missing"> {
  const { rows } = await sql<Claimed & { leaseId: string | null }>(
    claimStatement({ credentialsId }, null, "revoke-queue", now(), true),
  );
  const held = rows[0];
  if (!held) return "missing";
  if (!held.leaseId) return "busy";
  const lease: Lease = { connectionId: held.connectionId, leaseId: held.leaseId, version: held.version };
  const { accessTokenSealed, refreshTokenSealed, tokenKeyId, accessTokenExpiresAt } = row;
  const newer =
    accessTokenSealed &&
    refreshTokenSealed &&
    tokenKeyId &&
    accessTokenExpiresAt &&
    (!held.accessTokenExpiresAt || accessTokenExpiresAt > held.accessTokenExpiresAt);
  const written = await sql(
    newer
      ? commitStatement(
          { lease },
          {
            kind: "refreshed",
            tokens: { accessTokenSealed, refreshTokenSealed, tokenKeyId, accessTokenExpiresAt },
          },
          now(),
        )
      : releaseStatement(lease),
  );
  // Forced (a stop) between the claim and this: the queued tokens stay queued, to be revoked.
  return newer && written.rows.length === 0 ? "busy" : "done";
}

async function attempt(row: Queued, run: Run): Promise<void> {
  const { summary } = run;
  const learnt = await learnCredentials(row);
  const unsure = learnt === "unanswered" || (learnt === "unknown" && REAUTHENTICATIONS.has(row.reason));
  const handed = unsure ? null : learnt && learnt !== "unknown" ? await handOver(row, learnt) : "missing";
  if (handed === null || handed === "busy") {
    await postpone(
      row,
      handed === "busy" ? "connection_busy" : learnt === "unanswered" ? learnt : "credentials_unknown",
    );
    summary.postponed++;
    return;
  }
  if (handed === "done") {
    await finish(row.id);
    summary.forgotten++;
    return;
  }
  const outcome: RevokeAttempt = await revokeGrant(row, async (successor) => {
    run.credentialsWork = true;
    await storeSuccessor(row.id, successor);
  });
  if (outcome === "gone" && row.unansweredAt) {
    await markLost(row);
    summary.lost++;
  } else if (outcome === "revoked" || outcome === "gone") {
    run.credentialsWork ||= outcome === "revoked";
    await finish(row.id);
    summary[outcome]++;
  } else if (
    outcome === "client_rejected" &&
    row.attempts + 1 >= CLIENT_REJECTED_TRIES &&
    (run.credentialsWork || (await credentialsSeenWorking()))
  ) {
    // Unsettled: our credentials work elsewhere, so this refresh token is what TrueLayer refuses.
    await finish(row.id);
    summary.goneUnsettled++;
  } else {
    if (outcome === "client_rejected" && !run.alerted) {
      run.alerted = true;
      await alertOperator(
        "credentials_refused",
        "TrueLayer refused our client credentials while revoking queued grants",
      );
    }
    await postpone(row, outcome);
    summary.postponed++;
  }
}

const newRun = (): Run => ({
  summary: { revoked: 0, gone: 0, goneUnsettled: 0, lost: 0, forgotten: 0, postponed: 0 },
  credentialsWork: false,
  alerted: false,
});

/** The scheduled job's part: each due row is tried once; success or a dead token ends it, anything else waits. */
export async function drainRevokeQueue(options: { deadline?: number; limit?: number } = {}) {
  const run = newRun();
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  while (Date.now() < deadline) {
    const due = await claimDue(options.limit ?? 20);
    if (due.length === 0) break;
    for (const row of due) await attemptSafely(row, run);
  }
  return run.summary;
}

// One unreadable row (sealed with a key we no longer have) must not stop the rest of the queue.
async function attemptSafely(row: Queued, run: Run): Promise<void> {
  try {
    await attempt(row, run);
  } catch (error) {
    if (!(error instanceof Error && /^No key "/.test(error.message))) throw error;
    if (!run.alerted)
      await alertOperator(
        "token_key_missing",
        `A queued revoke is sealed with a key we no longer have (${error.message})`,
      );
    run.alerted = true;
    await postpone(row, "no_key");
    run.summary.postponed++;
  }
}

/** One queued grant tried at once (right after it was queued); the scheduled job retries it if this fails. */
export async function revokeQueuedNow(id: string): Promise<QueueSummary> {
  const run = newRun();
  for (const row of await claimDue(1, id)) await attemptSafely(row, run);
  return run.summary;
}

/** For operators: grants waiting to be revoked, the oldest's age, and answers that never reached us (queue,
 * connections, code exchanges), each maybe a live grant nobody can reach. */
export async function revokeQueueStats(): Promise<{
  size: number;
  oldestAt: Date | null;
  lostGrants: number;
}> {
  const { rows } = await sql<{ size: number; oldestAt: Date | null; lostGrants: number }>(Prisma.sql`
    SELECT count(*) FILTER (WHERE "lastError" IS DISTINCT FROM 'grant_lost')::int AS "size",
      min("createdAt") FILTER (WHERE "lastError" IS DISTINCT FROM 'grant_lost') AS "oldestAt",
      count(*) FILTER (WHERE "lastError" = 'grant_lost')::int
        + (SELECT count(*) FROM "Connection" WHERE "grantLostAt" IS NOT NULL)::int
        + (SELECT count(*) FROM "CodeExchange" WHERE "outcome" LIKE '%outcome_unknown%')::int AS "lostGrants"
    FROM "PendingRevoke"`);
  return rows[0] ?? { size: 0, oldestAt: null, lostGrants: 0 };
}
