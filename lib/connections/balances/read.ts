import "server-only";
import { isTrueLayerError, redact } from "@/lib/truelayer";
import {
  accessToken,
  type BalanceReadClaim,
  claimBalanceReads,
  type ReadTarget,
  type ReadWhen,
} from "../custody";
import { type BalanceFigures, storeBalances } from "../store/balances";
import { truelayer } from "../truelayer";

export type BalanceReadResult = "read" | "no_token" | "failed";

// With the user present: their address (X-PSU-IP), which lifts the bank's unattended limit. Without one,
// the bank counts the read as unattended, and so do we.
export type ReadContext = { psuIp?: string; when: Omit<ReadWhen, "unattended"> };

async function readClaimed(claimed: BalanceReadClaim, psuIp: string | undefined): Promise<BalanceReadResult> {
  const token = await accessToken(claimed);
  if (!token) return "no_token";
  const figures: BalanceFigures[] = [];
  let failed = false;
  for (const account of claimed.accounts) {
    try {
      const balance = await truelayer().getBalance(token, account.truelayerAccountId, { psuIp });
      figures.push({
        accountId: account.id,
        current: balance.current,
        available: balance.available,
        currency: balance.currency,
      });
    } catch (error) {
      if (!isTrueLayerError(error)) throw error;
      // The last figures stay; a 403 (consent lapsed) or 429 (limit) is the bank's to say, not ours to retry.
      console.warn("Balance read failed", redact(error));
      failed = true;
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
          console.warn("Balance read failed", redact(error));
          return "failed" as const;
        });
        results.set(c.connectionId, result);
      }),
    );
  } catch (error) {
    console.warn("Balance read failed", redact(error));
  }
  return results;
}
