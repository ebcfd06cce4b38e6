import "server-only";
import { now } from "@/lib/clock";
import { sha256Hex } from "@/lib/crypto/sha256";
import { recordSecurityEvent } from "@/lib/security/events";
import { callbackExchangeBudget } from "@/lib/security/limits";
import { type ConnectOutcome, completeConnect, readConnectAnswer } from "../connect/complete";
import { type BalanceReadClaim, commit, holdOrWait, ignoreLostLease } from "../custody";
import {
  type AuthState,
  claimCodeExchange,
  consumeAuthState,
  consumeStateAndClaimCode,
  type ExchangeOutcome,
  findAuthState,
  findCodeExchange,
  findReturn,
  settleCodeExchange,
} from "../store/exchanges";
import { pendingTrips, renewedSinceTrip, type Trip } from "../store/trips";
import { completeExtendReturn } from "./extend-return";
import type { CallbackParams } from "./params";
import { PARK_MS, parkReturn } from "./parked";

export { CALLBACK_FIELDS, type CallbackParams, callbackParamsFrom } from "./params";

// The user said no: nothing happened. Any other code (its text is never shown) is the bank's or TrueLayer's problem.
const USER_CANCELLED = new Set(["access_denied", "user_cancelled", "consent_denied"]);

export type CallbackContext = {
  tripHashes?: string[];
  // The user is present on this return from their bank: TrueLayer gets their IP (X-PSU-IP).
  psuIp?: string;
  park?: () => Promise<string>;
  /** Keeps a return with no trip of this browser's, for its owner to finish after signing in here. */
  keep?: (params: CallbackParams) => Promise<void>;
  /** Given, a connect's new connection claims its first balance read as it is stored and hands it here. */
  readClaimed?: (claim: BalanceReadClaim) => void;
  sweepParks?: () => void;
};

const LINK_PROBLEM = "/connections/problem?reason=link";
const NO_TRIP = "/connections/problem?reason=no_trip";
const TOO_MANY = "/connections/problem?reason=too_many";
const ALREADY_RENEWED = "/connections/problem?reason=already_renewed&connection=";
export const WAITING_PAGE = "/connections/returned";

// A reload or second arrival lands on the recorded result.
export function resultPathFor(exchange: { id: string; outcome: ExchangeOutcome }): string {
  const id = encodeURIComponent(exchange.id);
  if (exchange.outcome.status === "parked") return `/connections/finish?exchange=${id}`;
  return exchange.outcome.flow === "extend"
    ? `/reconfirm/progress?exchange=${id}`
    : `/connections/result/${id}`;
}

function usable(row: AuthState | null, sessionUserId: string | null): AuthState | null {
  if (!row || row.consumedAt || row.expiresAt <= now()) return null;
  // A state started by someone else must not complete in this browser's account.
  if (sessionUserId && row.userId !== sessionUserId) return null;
  return row;
}

// A signed-in browser finishes its user's trips only; otherwise the trips its own cookie names, of one user.
export async function tripsFor(sessionUserId: string | null, context: CallbackContext): Promise<Trip[]> {
  const trips = sessionUserId
    ? await pendingTrips({ userId: sessionUserId }, now())
    : await pendingTrips({ secretHashes: context.tripHashes ?? [] }, now());
  return trips.filter((t) => t.userId === trips[0]?.userId);
}

async function returnedWithError(
  params: CallbackParams,
  sessionUserId: string | null,
  context: CallbackContext,
) {
  const byUser = USER_CANCELLED.has(params.error ?? "");
  if (params.state) {
    const row = usable(await findAuthState(sha256Hex(params.state)), sessionUserId);
    // Someone else's (or a spent) state: nothing is consumed; a "no" is still true to say back.
    if (!row) return byUser ? "/connections/cancelled" : LINK_PROBLEM;
    await consumeAuthState(row.id, now());
    if (!byUser) return "/connections/problem?reason=bank_error&from=connect";
    if (row.purpose === "RECONNECT" && row.connectionIds[0])
      return `/connections/cancelled?reconnect=${encodeURIComponent(row.connectionIds[0])}`;
    return "/connections/cancelled?from=connect";
  }
  // No state: an extend trip's return, if this browser (or its signed-in user) has one under way.
  const [trip] = await tripsFor(sessionUserId, context);
  if (!trip) return byUser ? "/connections/cancelled" : "/connections/problem?reason=bank_error";
  if (!byUser) return "/connections/problem?reason=bank_error&from=reconfirm";
  // Only the trip's browser (cookie) records a cancel: any site can send a signed-in browser an error link; a trip
  // nobody finishes simply expires.
  const vouched = await pendingTrips({ secretHashes: context.tripHashes ?? [] }, now());
  if (!vouched.some((t) => t.id === trip.id)) return "/connections/cancelled?from=reconfirm";
  const got = await holdOrWait(trip.id, trip.userId, "cancelled-at-bank");
  if ("held" in got)
    await commit(got.held, {
      kind: "cancelled_at_bank",
      reconfirmationId: got.held.tripReconfirmationId,
    }).catch(ignoreLostLease);
  return `/connections/cancelled?from=reconfirm&connection=${encodeURIComponent(trip.id)}`;
}

/** An extend return for these trips: budgeted, claimed by the code's hash, exchanged, and given to its holder. */
export async function finishExtendReturn(
  code: string,
  trips: Trip[],
  context: CallbackContext,
): Promise<string> {
  const owner = trips[0]?.userId;
  if (!owner) return NO_TRIP;
  const claimed = await claimCodeExchange(
    sha256Hex(code),
    { flow: "extend", userId: owner },
    callbackExchangeBudget(owner),
  );
  if (!claimed.claimed) return "overBudget" in claimed ? TOO_MANY : resultPathFor(claimed.exchange);
  await completeExtendReturn(claimed.id, code, trips, { psuIp: context.psuIp });
  // Whatever it came to, the progress page reads it from the exchange.
  return resultPathFor({ id: claimed.id, outcome: { flow: "extend", status: "pending" } });
}

async function connectReturn(
  known: AuthState,
  code: string,
  sessionUserId: string | null,
  context: CallbackContext,
): Promise<string> {
  const state = usable(known, sessionUserId);
  if (!state || state.purpose === "EXTEND") return LINK_PROBLEM;
  const codeHash = sha256Hex(code);
  const claim = await consumeStateAndClaimCode(
    state.id,
    codeHash,
    { flow: "connect", userId: state.userId },
    now(),
    callbackExchangeBudget(state.userId),
  );
  if (claim.overBudget) return TOO_MANY;
  if (!claim.consumed || !claim.claimedId) {
    const raced = await findCodeExchange(codeHash);
    return raced ? resultPathFor(raced) : LINK_PROBLEM;
  }
  const claimId = claim.claimedId;
  const vouched =
    sessionUserId === state.userId ||
    (state.browserHash !== null && (context.tripHashes ?? []).includes(state.browserHash));
  if (!vouched && !context.park) {
    await recordSecurityEvent({
      kind: "BANK_RETURN_REFUSED",
      userId: state.userId,
      reason: "unvouched",
      unauthenticated: sessionUserId === null,
    });
  }
  if (vouched || !context.park) {
    const result: ConnectOutcome & { settled?: boolean } = vouched
      ? await completeConnect(state, code, context, claimId)
      : { outcome: { flow: "connect", status: "failed", reason: "unvouched" } };
    if (!result.settled)
      await settleCodeExchange(claimId, result.outcome, { connectionId: result.connectionId ?? null });
    return resultPathFor({ id: claimId, outcome: result.outcome });
  }
  const answer = await readConnectAnswer(state, code, context, claimId);
  if (!answer.ok) return resultPathFor({ id: claimId, outcome: answer.outcome.outcome });
  await parkReturn({
    exchangeId: claimId,
    purpose: state.purpose,
    ownerId: state.userId,
    connectionIds: state.connectionIds,
    snapshot: answer.snapshot,
    browserHash: await context.park(),
    expiresAt: new Date(now().getTime() + PARK_MS),
  });
  return resultPathFor({ id: claimId, outcome: { flow: "connect", status: "parked" } });
}

// State consumed, code recorded (hash) before the exchange: no forged, stale or replayed callback acts (decision 044).
export async function handleCallback(
  params: CallbackParams,
  sessionUserId: string | null,
  context: CallbackContext = {},
): Promise<string> {
  if (params.error) {
    context.sweepParks?.();
    return returnedWithError(params, sessionUserId, context);
  }
  const code = params.code ?? params.exchange_code;
  if (!code) return LINK_PROBLEM;
  const {
    seen,
    state: known,
    parksExpired,
  } = await findReturn(sha256Hex(code), params.state ? sha256Hex(params.state) : null);
  if (parksExpired) context.sweepParks?.();
  if (seen) return resultPathFor(seen);
  // A state we never issued is refused before anything is claimed or called.
  if (params.state) {
    if (known) return connectReturn(known, code, sessionUserId, context);
    await recordSecurityEvent({
      kind: "BANK_RETURN_REFUSED",
      userId: sessionUserId,
      reason: "unknown_state",
      unauthenticated: sessionUserId === null,
    });
    return LINK_PROBLEM;
  }
  // No state (extend takes none): only this browser's or its signed-in owner's trips are exchanged (decision 044).
  const trips = await tripsFor(sessionUserId, context);
  if (trips.length > 0) return finishExtendReturn(code, trips, context);
  // An older bank page of a trip a later one finished: say what is true now, and use nothing from it.
  const renewed = await renewedSinceTrip(
    { secretHashes: context.tripHashes ?? [], userId: sessionUserId },
    now(),
  );
  if (renewed) return `${ALREADY_RENEWED}${encodeURIComponent(renewed)}`;
  if (sessionUserId || !context.keep) return NO_TRIP;
  await context.keep({ code });
  return WAITING_PAGE;
}
