import "server-only";
import { now } from "@/lib/clock";
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
import { type BalanceFigures, storeBalances } from "../store/balances";
import { truelayer } from "../truelayer-client";

export type BalanceReadResult = "read" | "no_token" | "failed";

// With the user present: their address (X-PSU-IP), which lifts the bank's unattended limit. Without one,
// the bank counts the read as unattended, and so do we.
export type ReadContext = { psuIp?: string; when: Omit<ReadWhen, "unattended"> };

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long a 429 on an unattended read stops them: its Retry-After, else the rest of the bank's day. */
export function unattendedPauseAfter(error: Pick<TrueLayerError, "retryAfterSeconds">, at: Date): Date {
  const ms = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : DAY_MS;
  return new Date(at.getTime() + ms);
}

// Only the last access token TrueLayer issued works (TL support): a 401 means another request refreshed
// since we read ours. With the user present that earns one refresh (or the token it stored) and one retry;
// unattended reads get neither, as every call counts against the bank's four a day.
async function readClaimed(claimed: BalanceReadClaim, psuIp: string | undefined): Promise<BalanceReadResult> {
  const first = await accessTokenFor(claimed);
  if (!first) return "no_token";
  let accessToken = first;
  let retried = psuIp === undefined;
  const readOne = async (accountId: string) => {
    try {
      return await truelayer().getBalance(accessToken, accountId, { psuIp });
    } catch (error) {
      if (retried || !isTrueLayerError(error) || error.status !== 401) throw error;
      retried = true;
      const fresh = await accessTokenFor(claimed, { stale: accessToken });
      if (!fresh) throw error;
      accessToken = fresh;
      return truelayer().getBalance(accessToken, accountId, { psuIp });
    }
  };
  const figures: BalanceFigures[] = [];
  let failed = false;
  for (const account of claimed.accounts) {
    try {
      const balance = await readOne(account.truelayerAccountId);
      figures.push({
        accountId: account.id,
        current: balance.current,
        available: balance.available,
        currency: balance.currency,
      });
    } catch (error) {
      if (!isTrueLayerError(error)) throw error;
      // The last figures stay; a 403 (consent lapsed) or 429 (limit) is the bank's to say, not ours to retry.
      log.warn("balances.read_failed", { connectionId: claimed.connectionId, ...failureFields(error) });
      failed = true;
      if (error.status === 429 && !psuIp) {
        await pauseUnattendedReads(claimed.connectionId, unattendedPauseAfter(error, now()));
      }
      if (!error.retryable || error.status === 429) break;
    }
  }
  await storeBalances(claimed.connectionId, figures);
  return failed ? "failed" : "read";
}

/**
 * Claims (one statement) and reads the balances of the connections named, storing what the bank answered.
 * Connections not claimed (read recently, paused, stopped, or at the unattended limit) are left out.
 * Never throws: it runs after responses and beside renewals.
 */
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
