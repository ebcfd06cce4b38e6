import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { COMMIT_WITHOUT_FLUSH, sql } from "@/lib/db";
import { type FunnelEventInput, funnelInsertStatement, funnelNotRecorded } from "@/lib/funnel/record";
import { failureFields, log } from "@/lib/log";
import { isTrueLayerError, type TrueLayerError } from "@/lib/truelayer";
import {
  accessToken as accessTokenFor,
  type BalanceReadClaim,
  claimBalanceReads,
  pauseUnattendedReads,
  type ReadTarget,
  type ReadWhen,
} from "../custody";
import {
  type BalanceFigures,
  type ConnectionFigures,
  storeBalances,
  storeFiguresStatement,
} from "../store/balances";
import { truelayer } from "../truelayer-client";

export type BalanceReadResult = "read" | "no_token" | "failed";

// With the user present: their address (X-PSU-IP) lifts the bank's unattended limit; without, the read is unattended.
export type ReadContext = { psuIp?: string; when: Omit<ReadWhen, "unattended"> };

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long a 429 on an unattended read stops them: its Retry-After, else the rest of the bank's day. */
export function unattendedPauseAfter(error: Pick<TrueLayerError, "retryAfterSeconds">, at: Date): Date {
  const ms = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : DAY_MS;
  return new Date(at.getTime() + ms);
}

// Only the last access token TrueLayer issued works (TL support): a 401 means another request refreshed since we read
// ours. User present: one refresh (or the token it stored) and one retry; unattended: neither, every call counts
// against the bank's four a day. `atOnce` (decision 068): all accounts at once: a 429 or refusal spares none after.
async function fetchClaimed(
  claimed: BalanceReadClaim,
  psuIp: string | undefined,
  atOnce = false,
): Promise<{ result: BalanceReadResult; figures: BalanceFigures[] }> {
  const first = await accessTokenFor(claimed);
  if (!first) return { result: "no_token", figures: [] };
  let accessToken = first;
  let refresh: { stale: string; fresh: Promise<string | undefined> } | undefined;
  const readOne = async (accountId: string) => {
    const token = accessToken;
    try {
      return await truelayer().getBalance(token, accountId, { psuIp });
    } catch (error) {
      if (psuIp === undefined || !isTrueLayerError(error) || error.status !== 401) throw error;
      if (refresh && refresh.stale !== token) throw error;
      refresh ??= { stale: token, fresh: accessTokenFor(claimed, { stale: token }) };
      const fresh = await refresh.fresh;
      if (!fresh) throw error;
      accessToken = fresh;
      return truelayer().getBalance(accessToken, accountId, { psuIp });
    }
  };
  const figures: BalanceFigures[] = [];
  let failed = false;
  const readAccount = async (account: BalanceReadClaim["accounts"][number]) => {
    try {
      const balance = await readOne(account.truelayerAccountId);
      return {
        accountId: account.id,
        current: balance.current,
        available: balance.available,
        currency: balance.currency,
      };
    } catch (error) {
      if (!isTrueLayerError(error)) throw error;
      // The last figures stay; a 403 (consent lapsed) or 429 (limit) is the bank's to say, not ours to retry.
      log.warn("balances.read_failed", { connectionId: claimed.connectionId, ...failureFields(error) });
      failed = true;
      if (error.status === 429 && !psuIp) {
        await pauseUnattendedReads(claimed.connectionId, unattendedPauseAfter(error, now()));
      }
      return !error.retryable || error.status === 429 ? ("stop" as const) : undefined;
    }
  };
  if (atOnce) {
    for (const got of await Promise.all(claimed.accounts.map(readAccount)))
      if (got && got !== "stop") figures.push(got);
  } else {
    for (const account of claimed.accounts) {
      const got = await readAccount(account);
      if (got === "stop") break;
      else if (got) figures.push(got);
    }
  }
  return { result: failed ? "failed" : "read", figures };
}

async function readClaimed(claimed: BalanceReadClaim, psuIp: string | undefined): Promise<BalanceReadResult> {
  const { result, figures } = await fetchClaimed(claimed, psuIp);
  await storeBalances(claimed.connectionId, figures);
  return result;
}

/** Reads claimed where a renewal's tokens were stored; figures and funnel counts then go in one statement without
 * a disk flush (both disposable). Never throws; a failed statement is tried again without the counts. */
export async function readClaimedAndRecord(
  claims: BalanceReadClaim[],
  psuIp: string | undefined,
  funnel: FunnelEventInput[],
): Promise<Map<string, BalanceReadResult>> {
  const results = new Map<string, BalanceReadResult>();
  const read: ConnectionFigures[] = [];
  await Promise.all(
    claims.map(async (c) => {
      const got = await fetchClaimed(c, psuIp, true).catch((error: unknown) => {
        log.warn("balances.read_failed", { connectionId: c.connectionId, ...failureFields(error) });
        return { result: "failed" as const, figures: [] };
      });
      results.set(c.connectionId, got.result);
      if (got.figures.length > 0) read.push({ connectionId: c.connectionId, figures: got.figures });
    }),
  );
  const parts = [
    ...(read.length > 0 ? [Prisma.sql`stored AS (${storeFiguresStatement(read)})`] : []),
    ...(funnel.length > 0 ? [Prisma.sql`counted AS (${funnelInsertStatement(funnel)})`] : []),
  ];
  if (parts.length === 0) return results;
  try {
    await sql(Prisma.sql`WITH ${Prisma.join(parts, ", ")} SELECT ${COMMIT_WITHOUT_FLUSH}`);
  } catch (error) {
    if (funnel.length > 0) funnelNotRecorded(funnel, error);
    for (const r of read)
      await storeBalances(r.connectionId, r.figures).catch((e: unknown) =>
        log.warn("balances.read_failed", { connectionId: r.connectionId, ...failureFields(e) }),
      );
  }
  return results;
}

/** Claims (one statement) and reads, skipping recent, paused, stopped or at-limit ones. Never throws: it runs after
 * responses and beside renewals. */
export async function readBalances(
  target: ReadTarget,
  context: ReadContext,
): Promise<Map<string, BalanceReadResult>> {
  const results = new Map<string, BalanceReadResult>();
  try {
    const claimed = await claimBalanceReads(target, { ...context.when, unattended: !context.psuIp });
    await Promise.all(
      claimed.map(async (c) => {
        const result = await readClaimed(c, context.psuIp).catch((error: unknown) => {
          log.warn("balances.read_failed", { connectionId: c.connectionId, ...failureFields(error) });
          return "failed" as const;
        });
        results.set(c.connectionId, result);
      }),
    );
  } catch (error) {
    log.warn("balances.read_failed", failureFields(error));
  }
  return results;
}
