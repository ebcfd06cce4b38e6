import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { addDays, now } from "@/lib/clock";
import { db } from "@/lib/db";
import { recordFunnelEvent } from "@/lib/funnel/record";
import { isTrueLayerError, type Me, type TokenSet } from "@/lib/truelayer";
import {
  type AwaitingConnection,
  claimCodeExchange,
  findConnectionsAwaitingBank,
  settleCodeExchange,
} from "./bank-trip-queries";
import { CONSENT_DAYS } from "./consent-state";
import { sha256Hex } from "./hash";
import { claimConnection, completeLease, type Lease } from "./lease";
import { appendConnectionEvent } from "./reconfirm-queries";
import { sealedTokenColumns } from "./tokens";
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

/** The extend trip this code finishes: by credentials_id, else the one trip to that bank with these accounts. */
async function findTrip(me: Me, accessToken: string, psuIp?: string): Promise<AwaitingConnection> {
  const byCredentials = await findConnectionsAwaitingBank({ credentialsId: me.credentialsId });
  if (byCredentials.length === 1 && byCredentials[0]) return byCredentials[0];
  const providerId = me.provider?.providerId;
  if (byCredentials.length === 0 && providerId) {
    const accountIds = new Set(
      (await truelayer().getAccounts(accessToken, { psuIp })).map((a) => a.accountId),
    );
    const byAccounts = (await findConnectionsAwaitingBank({ providerId })).filter((c) =>
      c.accountIds.some((a) => accountIds.has(a)),
    );
    if (byAccounts.length === 1 && byAccounts[0]) return byAccounts[0];
  }
  throw new BankReturnFailure("no_matching_connection");
}

/** A short wait for a lease held by another request (e.g. a refresh in flight); the new tokens must not be lost. */
async function claimSoon(trip: AwaitingConnection): Promise<Lease> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const lease = await claimConnection(db(), trip.id, trip.userId, "extend-bank-return");
    if (lease) return lease;
    await sleep(200);
  }
  throw new BankReturnFailure("connection_busy", trip.userId);
}

async function store(exchangeId: string, trip: AwaitingConnection, tokens: TokenSet, me: Me): Promise<void> {
  const lease = await claimSoon(trip);
  const at = now();
  const consentExpiresAt = me.consentExpiresAt ?? addDays(at, CONSENT_DAYS);
  await db().$transaction(async (tx) => {
    await completeLease(tx, lease, {
      ...sealedTokenColumns({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }),
      accessTokenExpiresAt: new Date(at.getTime() + tokens.expiresIn * 1000),
      consentExpiresAt,
      credentialsId: me.credentialsId,
      status: "ACTIVE",
      statusReason: null,
    });
    await appendConnectionEvent(tx, {
      connectionId: trip.id,
      type: "COMPLETED_AT_BANK",
      reconfirmationId: trip.reconfirmationId,
      consentExpiresAt,
    });
    await settleCodeExchange(
      exchangeId,
      { outcome: EXTEND_COMPLETED, userId: trip.userId, connectionId: trip.id },
      tx,
    );
  });
}

/**
 * Finishes a bank authentication that extend started (the bank sends the user back with a code and
 * no state). The code is exchanged at once, even without a session: the bank app may have opened a
 * browser without our cookies, and codes live minutes. The progress page asks who they are later.
 */
export async function completeExtendAtBank(input: {
  code: string;
  sessionUserId: string | null;
  /** The user is present on this return from their bank: TrueLayer gets their IP (X-PSU-IP). */
  psuIp?: string;
}): Promise<{ exchangeId: string }> {
  const claim = await claimCodeExchange(sha256Hex(input.code));
  if (!claim.created) return { exchangeId: claim.id };
  try {
    const tokens = await truelayer().exchangeCode({ code: input.code, redirectUri: callbackUrl() });
    const me = await truelayer().getMe(tokens.accessToken, { psuIp: input.psuIp });
    const trip = await findTrip(me, tokens.accessToken, input.psuIp);
    if (input.sessionUserId && input.sessionUserId !== trip.userId) {
      throw new BankReturnFailure("not_owner");
    }
    await store(claim.id, trip, tokens, me);
    await recordFunnelEvent({ step: "COMPLETED", userId: trip.userId, connectionId: trip.id });
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
  return { exchangeId: claim.id };
}
