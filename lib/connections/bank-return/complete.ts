import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "@/lib/clock";
import { transaction } from "@/lib/db";
import { recordFunnelEvent } from "@/lib/funnel/record";
import { isTrueLayerError } from "@/lib/truelayer";
import { snapshotFrom } from "../connect/complete";
import { renewedUntil } from "../consent-state";
import { sha256Hex } from "../hash";
import { type BankSnapshot, replaceAccounts } from "../store/connections";
import { claimCodeExchange, settleCodeExchange } from "../store/exchanges";
import { type ClaimedConnection, claim, complete } from "../store/lease";
import { dropParked } from "../store/parked";
import { findTrips, type Trip } from "../store/trips";
import { callbackUrl, truelayer } from "../truelayer";
import { PARK_MS, parkReturn } from "./parked";

class BankReturnFailure extends Error {
  constructor(
    readonly reason: string,
    readonly userId: string | null = null,
  ) {
    super(`bank return failed: ${reason}`);
  }
}

// Who may vouch for a return: the browser that was sent to the bank, or the signed-in owner.
export type ReturnContext = {
  sessionUserId: string | null;
  browserHash?: string | null;
  // The user is present on this return from their bank: TrueLayer gets their IP (X-PSU-IP).
  psuIp?: string;
  park?: () => Promise<string>;
};

type Decision =
  | { kind: "attach"; trip: Trip }
  | { kind: "park"; ownerId: string | null; connectionIds: string[] };

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

async function vouchedTrips(context: ReturnContext): Promise<Trip[]> {
  const found = [
    ...(context.browserHash ? await findTrips({ browserHash: context.browserHash }) : []),
    ...(context.sessionUserId ? await findTrips({ userId: context.sessionUserId }) : []),
  ];
  return [...new Map(found.map((trip) => [trip.id, trip])).values()];
}

// /callback is a GET any site can send a victim's browser to, so another person's code must not ride in on
// the victim's cookies: what no browser vouches for, or has other credentials, is parked (docs/decisions/016-bank-trip-binding.md).
async function decide(snapshot: BankSnapshot, context: ReturnContext): Promise<Decision> {
  const vouched = await vouchedTrips(context);
  const sameCredentials = vouched.find((t) => t.credentialsId === snapshot.credentialsId);
  if (sameCredentials) return { kind: "attach", trip: sameCredentials };
  const atThisBank = vouched.filter((t) => t.providerId === snapshot.providerId);
  // Re-authentication may bring a new credentials_id and account ids: the vouched trip still holding one of
  // these very accounts (by number) is this connection. Without that proof, the return is parked.
  const incoming = new Set(snapshot.accounts.flatMap((a) => (a.fingerprint ? [a.fingerprint] : [])));
  const sameAccounts = atThisBank.filter((t) => t.fingerprints.some((f) => incoming.has(f)));
  if (sameAccounts.length === 1 && sameAccounts[0]) return { kind: "attach", trip: sameAccounts[0] };
  if (atThisBank.length > 0) {
    const owners = new Set(atThisBank.map((t) => t.userId));
    return {
      kind: "park",
      ownerId: owners.size === 1 ? (atThisBank[0]?.userId ?? null) : null,
      connectionIds: atThisBank.map((t) => t.id),
    };
  }
  const accountIds = snapshot.accounts.map((a) => a.truelayerAccountId);
  const byCredentials = await findTrips({ credentialsId: snapshot.credentialsId });
  const exact = byCredentials.filter((t) => sameSet(t.accountIds, accountIds));
  if (exact.length === 1 && exact[0]) return { kind: "attach", trip: exact[0] };
  // Signed in, yet neither owner nor the browser that went: someone else's trip.
  if (context.sessionUserId) throw new BankReturnFailure("not_owner");
  const candidates = byCredentials.length
    ? byCredentials
    : await findTrips({ providerId: snapshot.providerId });
  if (candidates.length === 0) throw new BankReturnFailure("no_matching_connection");
  const owners = new Set(candidates.map((c) => c.userId));
  return {
    kind: "park",
    ownerId: owners.size === 1 ? (candidates[0]?.userId ?? null) : null,
    connectionIds: candidates.map((c) => c.id),
  };
}

// Waits for a lease held by another request (e.g. a refresh in flight); the new tokens must not be lost.
async function claimSoon(trip: { id: string; userId: string }): Promise<ClaimedConnection> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const lease = await claim(trip.id, trip.userId, "extend-bank-return");
    if (lease) return lease;
    await sleep(200);
  }
  throw new BankReturnFailure("connection_busy", trip.userId);
}

export async function attachExtendReturn(
  exchangeId: string,
  trip: { id: string; userId: string; reconfirmationId: string | null },
  snapshot: BankSnapshot,
  parkedId?: string,
): Promise<void> {
  const lease = await claimSoon(trip);
  const consentExpiresAt = renewedUntil(snapshot.consentExpiresAt, now(), lease.consentExpiresAt);
  await transaction(async (tx) => {
    await complete(
      lease,
      {
        ...snapshot.tokens,
        accessTokenExpiresAt: snapshot.accessTokenExpiresAt,
        consentExpiresAt,
        credentialsId: snapshot.credentialsId,
        status: "ACTIVE",
        statusReason: null,
      },
      {
        type: "COMPLETED_AT_BANK",
        reconfirmationId: trip.reconfirmationId,
        consentExpiresAt,
      },
      tx,
    );
    await replaceAccounts(tx, trip.id, snapshot);
    await settleCodeExchange(
      exchangeId,
      { flow: "extend", status: "completed" },
      { userId: trip.userId, connectionId: trip.id },
      tx,
    );
    if (parkedId) await dropParked(parkedId, tx);
  });
  await recordFunnelEvent({ step: "COMPLETED", userId: trip.userId, connectionId: trip.id });
}

// The code is exchanged at once, even without a session: the bank app may have opened a browser without
// our cookies, and codes live minutes.
export async function completeExtendAtBank(
  input: { code: string } & ReturnContext,
): Promise<{ exchangeId: string; parked?: boolean }> {
  const claimed = await claimCodeExchange(sha256Hex(input.code), { flow: "extend" });
  if (!claimed.claimed) {
    const { id, outcome } = claimed.exchange;
    return outcome.status === "parked" ? { exchangeId: id, parked: true } : { exchangeId: id };
  }
  const exchangeId = claimed.id;
  let parked = false;
  try {
    const tokens = await truelayer().exchangeCode({ code: input.code, redirectUri: callbackUrl() });
    const [me, accounts] = await Promise.all([
      truelayer().getMe(tokens.accessToken, { psuIp: input.psuIp }),
      truelayer().getAccounts(tokens.accessToken, { psuIp: input.psuIp }),
    ]);
    const snapshot = snapshotFrom(tokens, me, accounts);
    const decision = await decide(snapshot, input);
    if (decision.kind === "attach") {
      if (input.sessionUserId && input.sessionUserId !== decision.trip.userId) {
        throw new BankReturnFailure("not_owner");
      }
      await attachExtendReturn(exchangeId, decision.trip, snapshot);
    } else {
      if (!input.park) throw new BankReturnFailure("unvouched");
      await parkReturn({
        exchangeId,
        purpose: "EXTEND",
        ownerId: decision.ownerId,
        connectionIds: decision.connectionIds,
        snapshot,
        browserHash: await input.park(),
        expiresAt: new Date(now().getTime() + PARK_MS),
      });
      parked = true;
    }
  } catch (error) {
    const reason =
      error instanceof BankReturnFailure
        ? error.reason
        : isTrueLayerError(error)
          ? error.codeRejected
            ? "code_rejected"
            : `${error.operation}_${error.outcomeUnknown ? "outcome_unknown" : "failed"}`
          : "internal_error";
    const userId = error instanceof BankReturnFailure ? error.userId : null;
    await settleCodeExchange(exchangeId, { flow: "extend", status: "failed", reason }, { userId });
    if (userId) await recordFunnelEvent({ step: "FAILED", userId });
    if (!(error instanceof BankReturnFailure) && !isTrueLayerError(error)) throw error;
  }
  return parked ? { exchangeId, parked } : { exchangeId };
}
