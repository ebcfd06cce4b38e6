import "server-only";
import { now } from "@/lib/clock";
import { recordFunnelEvent } from "@/lib/funnel/record";
import { recordSecurityEvent } from "@/lib/security/events";
import { isTrueLayerError } from "@/lib/truelayer";
import { renewedUntil } from "../consent-state";
import {
  type BankSnapshot,
  commit,
  exchangeAndHold,
  holdOrWait,
  LostLeaseError,
  type Retired,
  retireExchangeGrant,
  snapshotFrom,
} from "../custody";
import { settleCodeExchange } from "../store/exchanges";
import type { Trip } from "../store/trips";
import { callbackUrl, truelayer } from "../truelayer-client";

export type ExtendReturnContext = { psuIp?: string };

// Where a code's grant goes: to its holder, else refused, never offered, and queued for revocation (decision 044).
type Decision =
  | { kind: "attach"; connectionId: string; userId: string; retire?: Retired }
  | { kind: "refuse" };

function decide(
  snapshot: BankSnapshot,
  trips: Trip[],
  holder: { id: string; userId: string } | null,
): Decision {
  if (holder) return { kind: "attach", connectionId: holder.id, userId: holder.userId };
  const incoming = new Set(snapshot.accounts.flatMap((a) => (a.fingerprint ? [a.fingerprint] : [])));
  const same = trips.filter(
    (t) => t.providerId === snapshot.providerId && t.fingerprints.some((f) => incoming.has(f)),
  );
  const [trip] = same;
  if (same.length === 1 && trip)
    return {
      kind: "attach",
      connectionId: trip.id,
      userId: trip.userId,
      retire: trip.credentialsId ? { reason: "replaced" } : undefined,
    };
  return { kind: "refuse" };
}

export type ExtendReturnResult = { exchangeId: string; outcome: "completed" | "refused" | "failed" };

/** The code is exchanged (its tokens held on the exchange row at once), read, and the grant given to its holder. */
export async function completeExtendReturn(
  exchangeId: string,
  code: string,
  trips: Trip[],
  context: ExtendReturnContext,
): Promise<ExtendReturnResult> {
  const owner = trips[0]?.userId ?? null;
  const fail = async (reason: string): Promise<ExtendReturnResult> => {
    await settleCodeExchange(exchangeId, { flow: "extend", status: "failed", reason }, { userId: owner });
    if (owner) await recordFunnelEvent({ step: "FAILED", userId: owner });
    return { exchangeId, outcome: "failed" };
  };
  let snapshot: BankSnapshot;
  try {
    const tokens = await exchangeAndHold(exchangeId, { code, redirectUri: callbackUrl() });
    try {
      const [me, accounts] = await Promise.all([
        truelayer().getMe(tokens.accessToken, { psuIp: context.psuIp }),
        truelayer().getAccounts(tokens.accessToken, { psuIp: context.psuIp }),
      ]);
      snapshot = snapshotFrom(tokens, me, accounts);
    } catch (error) {
      if (!isTrueLayerError(error)) throw error;
      await retireExchangeGrant(
        exchangeId,
        { flow: "extend", status: "failed", reason: `${error.operation}_failed` },
        { credentialsId: null, reason: "reauth_unreadable" },
        { userId: owner },
      );
      return { exchangeId, outcome: "failed" };
    }
  } catch (error) {
    if (!isTrueLayerError(error)) throw error;
    return fail(
      error.codeRejected
        ? "code_rejected"
        : `${error.operation}_${error.outcomeUnknown ? "outcome_unknown" : "failed"}`,
    );
  }
  return attach(exchangeId, snapshot, trips);
}

async function attach(
  exchangeId: string,
  snapshot: BankSnapshot,
  trips: Trip[],
): Promise<ExtendReturnResult> {
  const owner = trips[0]?.userId ?? null;
  const byCredentials = await holdOrWait(
    { credentialsId: snapshot.credentialsId },
    null,
    "extend-bank-return",
  );
  if ("busy" in byCredentials) return busy(exchangeId, snapshot, owner);
  const holder = "held" in byCredentials ? byCredentials.held : null;
  const decision = decide(snapshot, trips, holder && { id: holder.connectionId, userId: holder.userId });
  if (decision.kind === "refuse") {
    await refusedReturn(owner);
    await retireExchangeGrant(
      exchangeId,
      { flow: "extend", status: "failed", reason: "not_this_connection" },
      {
        credentialsId: snapshot.credentialsId,
        reason: "refused",
        providerId: snapshot.providerId,
        providerName: snapshot.providerName,
      },
      { userId: owner },
    );
    return { exchangeId, outcome: "refused" };
  }
  const got = holder
    ? { held: holder }
    : await holdOrWait(decision.connectionId, decision.userId, "extend-bank-return");
  if (!("held" in got)) return busy(exchangeId, snapshot, owner);
  const held = got.held;
  // The grant's own connection, not a trip of whoever came back: kept there; this browser is told it was not theirs.
  const theirs = owner === null || held.userId === owner;
  const consentExpiresAt = renewedUntil(snapshot.consentExpiresAt, now(), held.consentExpiresAt);
  try {
    await commit(
      held,
      {
        kind: "completed_at_bank",
        snapshot,
        consentExpiresAt,
        reconfirmationId: held.tripReconfirmationId,
        ...(theirs ? { exchangeId } : {}),
        retire: holder ? undefined : decision.retire,
      },
      { userId: held.userId, revokeNow: true },
    );
  } catch (error) {
    // Taken by another request meanwhile: the grant is still the exchange row's, and is queued from there.
    if (!(error instanceof LostLeaseError)) throw error;
    return busy(exchangeId, snapshot, owner);
  }
  if (!theirs) {
    await refusedReturn(owner);
    await settleCodeExchange(
      exchangeId,
      { flow: "extend", status: "failed", reason: "not_this_connection" },
      { userId: owner },
    );
    return { exchangeId, outcome: "refused" };
  }
  await recordFunnelEvent({ step: "COMPLETED", userId: held.userId, connectionId: held.connectionId });
  return { exchangeId, outcome: "completed" };
}

// Whoever came back may be anyone: counted against the cap on what unauthenticated requests can add.
const refusedReturn = (owner: string | null) =>
  recordSecurityEvent({
    kind: "BANK_RETURN_REFUSED",
    userId: owner,
    reason: "not_this_connection",
    unauthenticated: true,
  });

// Held by another request past the wait: the grant goes to the queue, which forgets it if a connection holds it.
async function busy(
  exchangeId: string,
  snapshot: BankSnapshot,
  owner: string | null,
): Promise<ExtendReturnResult> {
  await retireExchangeGrant(
    exchangeId,
    { flow: "extend", status: "failed", reason: "connection_busy" },
    { credentialsId: snapshot.credentialsId, reason: "unclaimed" },
    { userId: owner },
  );
  return { exchangeId, outcome: "failed" };
}
