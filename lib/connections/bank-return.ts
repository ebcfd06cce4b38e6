import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { Prisma } from "@prisma/client";
import { db } from "@/lib/db";
import { recordFunnelEvent } from "@/lib/funnel/record";
import { isTrueLayerError } from "@/lib/truelayer";
import {
  type AwaitingConnection,
  claimCodeExchange,
  findConnectionsAwaitingBank,
  settleCodeExchange,
} from "./bank-trip-queries";
import { snapshotFrom } from "./complete-connect";
import { sha256Hex } from "./hash";
import { claimConnection, completeLease, type Lease } from "./lease";
import { dropParked, parkReturn } from "./parked";
import type { BankSnapshot } from "./queries";
import { appendConnectionEvent } from "./reconfirm-queries";
import { callbackUrl, truelayer } from "./truelayer";

export const EXTEND_COMPLETED = "extend:completed";

class BankReturnFailure extends Error {
  constructor(
    readonly reason: string,
    readonly userId: string | null = null,
  ) {
    super(`bank return failed: ${reason}`);
  }
}

/** Who may vouch for a return: the browser that was sent to the bank, or the signed-in owner. */
export type ReturnContext = {
  sessionUserId: string | null;
  browserHash?: string | null;
  /** The user is present on this return from their bank: TrueLayer gets their IP (X-PSU-IP). */
  psuIp?: string;
  /** Sets the parking cookie in this browser and returns its hash (the route's cookie jar). */
  park?: () => Promise<string>;
};

type Decision =
  | { kind: "attach"; trip: AwaitingConnection }
  | { kind: "park"; ownerId: string | null; connectionIds: string[] };

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

async function vouchedTrips(context: ReturnContext): Promise<AwaitingConnection[]> {
  const found = [
    ...(context.browserHash ? await findConnectionsAwaitingBank({ browserHash: context.browserHash }) : []),
    ...(context.sessionUserId ? await findConnectionsAwaitingBank({ userId: context.sessionUserId }) : []),
  ];
  return [...new Map(found.map((trip) => [trip.id, trip])).values()];
}

/**
 * Which trip this return finishes, and whether it may be attached. Vouched for: the trip among that
 * browser's or that user's with the same credentials attaches, even if its account ids changed
 * (banks renumber accounts on re-authentication). A vouched return with other credentials is parked
 * for that user to confirm, naming the accounts: /callback is a GET any site can send a victim's
 * browser to, so another person's code must not ride in on the victim's own cookies. Not vouched
 * for: only the one trip whose credentials and accounts match exactly; anything else is parked until
 * the returning browser signs in as the trip's owner.
 */
async function decide(snapshot: BankSnapshot, context: ReturnContext): Promise<Decision> {
  const vouched = await vouchedTrips(context);
  const sameCredentials = vouched.find((t) => t.credentialsId === snapshot.credentialsId);
  if (sameCredentials) return { kind: "attach", trip: sameCredentials };
  const atThisBank = vouched.filter((t) => t.providerId === snapshot.providerId);
  if (atThisBank.length > 0) {
    const owners = new Set(atThisBank.map((t) => t.userId));
    return {
      kind: "park",
      ownerId: owners.size === 1 ? (atThisBank[0]?.userId ?? null) : null,
      connectionIds: atThisBank.map((t) => t.id),
    };
  }
  const accountIds = snapshot.accounts.map((a) => a.truelayerAccountId);
  const byCredentials = await findConnectionsAwaitingBank({ credentialsId: snapshot.credentialsId });
  const exact = byCredentials.filter((t) => sameSet(t.accountIds, accountIds));
  if (exact.length === 1 && exact[0]) return { kind: "attach", trip: exact[0] };
  // Signed in, yet neither owner nor the browser that went: someone else's trip.
  if (context.sessionUserId) throw new BankReturnFailure("not_owner");
  const candidates = byCredentials.length
    ? byCredentials
    : await findConnectionsAwaitingBank({ providerId: snapshot.providerId });
  if (candidates.length === 0) throw new BankReturnFailure("no_matching_connection");
  const owners = new Set(candidates.map((c) => c.userId));
  return {
    kind: "park",
    ownerId: owners.size === 1 ? (candidates[0]?.userId ?? null) : null,
    connectionIds: candidates.map((c) => c.id),
  };
}

/** A short wait for a lease held by another request (e.g. a refresh in flight); the new tokens must not be lost. */
async function claimSoon(trip: { id: string; userId: string }): Promise<Lease> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const lease = await claimConnection(db(), trip.id, trip.userId, "extend-bank-return");
    if (lease) return lease;
    await sleep(200);
  }
  throw new BankReturnFailure("connection_busy", trip.userId);
}

/** The bank's accounts replace the stored ones: ids can change when a user re-authenticates. */
async function replaceAccounts(tx: Prisma.TransactionClient, connectionId: string, snapshot: BankSnapshot) {
  const stored = await tx.bankAccount.findMany({
    where: { connectionId },
    select: {
      truelayerAccountId: true,
      displayName: true,
      accountType: true,
      maskedNumber: true,
      currency: true,
    },
  });
  const key = (a: BankSnapshot["accounts"][number]) =>
    JSON.stringify([a.truelayerAccountId, a.displayName, a.accountType, a.maskedNumber, a.currency]);
  if (sameSet(stored.map(key), snapshot.accounts.map(key))) return;
  const keep = snapshot.accounts.map((a) => a.truelayerAccountId);
  await tx.bankAccount.deleteMany({ where: { connectionId, truelayerAccountId: { notIn: keep } } });
  for (const account of snapshot.accounts) {
    const { truelayerAccountId, ...rest } = account;
    await tx.bankAccount.upsert({
      where: { connectionId_truelayerAccountId: { connectionId, truelayerAccountId } },
      create: { connectionId, ...account },
      update: rest,
    });
  }
}

/** Stores a bank return on the trip's connection under the lease, with its event and the exchange's outcome. */
export async function attachExtendReturn(
  exchangeId: string,
  trip: { id: string; userId: string; reconfirmationId: string | null },
  snapshot: BankSnapshot,
  parkedId?: string,
): Promise<void> {
  const lease = await claimSoon(trip);
  await db().$transaction(async (tx) => {
    await completeLease(tx, lease, {
      ...snapshot.tokens,
      accessTokenExpiresAt: snapshot.accessTokenExpiresAt,
      consentExpiresAt: snapshot.consentExpiresAt,
      credentialsId: snapshot.credentialsId,
      status: "ACTIVE",
      statusReason: null,
    });
    await replaceAccounts(tx, trip.id, snapshot);
    await appendConnectionEvent(tx, {
      connectionId: trip.id,
      type: "COMPLETED_AT_BANK",
      reconfirmationId: trip.reconfirmationId,
      consentExpiresAt: snapshot.consentExpiresAt,
    });
    await settleCodeExchange(
      exchangeId,
      { outcome: EXTEND_COMPLETED, userId: trip.userId, connectionId: trip.id },
      tx,
    );
    if (parkedId) await dropParked(parkedId, tx);
  });
  await recordFunnelEvent({ step: "COMPLETED", userId: trip.userId, connectionId: trip.id });
}

/**
 * Finishes a bank authentication that extend started (the bank sends the user back with a code and no
 * state of ours). The code is exchanged at once, even without a session: the bank app may have opened
 * a browser without our cookies, and codes live minutes. Where no browser vouches for the return and
 * the bank's answer is not exactly the trip's connection, it is parked, never attached by guess.
 */
export async function completeExtendAtBank(
  input: { code: string } & ReturnContext,
): Promise<{ exchangeId: string; parked?: boolean }> {
  const claim = await claimCodeExchange(sha256Hex(input.code));
  if (!claim.created) return { exchangeId: claim.id };
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
      await attachExtendReturn(claim.id, decision.trip, snapshot);
    } else {
      if (!input.park) throw new BankReturnFailure("unvouched");
      await parkReturn({
        exchangeId: claim.id,
        purpose: "EXTEND",
        ownerId: decision.ownerId,
        connectionIds: decision.connectionIds,
        snapshot,
        browserHash: await input.park(),
      });
      parked = true;
    }
  } catch (error) {
    const reason =
      error instanceof BankReturnFailure
        ? error.reason
        : isTrueLayerError(error)
          ? `${error.operation}_${error.outcomeUnknown ? "outcome_unknown" : "failed"}`
          : "internal_error";
    const userId = error instanceof BankReturnFailure ? error.userId : null;
    await settleCodeExchange(claim.id, { outcome: `extend:failed:${reason}`, userId });
    if (userId) await recordFunnelEvent({ step: "FAILED", userId });
    if (!(error instanceof BankReturnFailure) && !isTrueLayerError(error)) throw error;
  }
  return { exchangeId: claim.id, parked };
}
