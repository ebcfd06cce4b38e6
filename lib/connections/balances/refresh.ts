import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { headers } from "next/headers";
import { after } from "next/server";
import { now } from "@/lib/clock";
import type { FunnelEventInput } from "@/lib/funnel/record";
import { consentState } from "../consent-state";
import type { BalanceReadClaim } from "../custody";

export type { BalanceReadClaim } from "../custody";

import { psuIpFrom } from "../psu-ip";
import type { ConnectionRow } from "../store/connections";
import { BALANCES_STALE_MS, balancesStale } from "./freshness";
import { readBalances, readClaimedAndRecord } from "./read";

/** A page view renders what is stored; stale figures are read after the response with the viewer's address
 * (X-PSU-IP). Returns the connections being read, so the page can offer "Check again". */
export async function refreshBalancesAfterView(userId: string, connections: ConnectionRow[]) {
  const at = now();
  const stale = connections.filter((c) => balancesStale(consentState(c, at), c, at)).map((c) => c.id);
  if (stale.length === 0) return new Set<string>();
  const psuIp = psuIpFrom(await headers());
  const checkedBefore = new Date(at.getTime() - BALANCES_STALE_MS);
  after(() => readBalances({ connectionIds: stale, userId }, { psuIp, when: { checkedBefore } }));
  return new Set(stale);
}

export function refreshBalancesAfterReturn(userId: string, since: Date, psuIp: string | undefined) {
  after(() => readBalances({ userId, changedSince: since }, { psuIp, when: { checkedBefore: now() } }));
}

export function readClaimedAfterReturn(claims: BalanceReadClaim[], psuIp: string | undefined) {
  after(() => readClaimedAndRecord(claims, psuIp, []));
}

// A slow bank does not hold the renewal's answer longer than this; the read finishes after the response.
const RENEWAL_READ_WAIT_MS = 4_000;

/** Whether this request's reads count as unattended (no X-PSU-IP from a trusted proxy): for claims made on write. */
export async function renewalReadClaim(): Promise<{ unattended: boolean }> {
  return { unattended: psuIpFrom(await headers()) === undefined };
}

/** Before a renewal's result shows, so it ends on fresh figures: the reads its statements claimed (renewalReadClaim),
 * stored with its funnel counts. */
export async function readBalancesAfterRenewal(claims: BalanceReadClaim[], funnel: FunnelEventInput[]) {
  if (claims.length === 0 && funnel.length === 0) return;
  const psuIp = psuIpFrom(await headers());
  const reading = readClaimedAndRecord(claims, psuIp, funnel);
  after(() => reading);
  await Promise.race([reading, sleep(RENEWAL_READ_WAIT_MS)]);
}
