import "server-only";
import { now } from "@/lib/clock";
import { limitUnmatchedReturn } from "@/lib/security/limits";
import { type ConnectOutcome, completeConnect, readConnectAnswer } from "../connect/complete";
import { sha256Hex } from "../hash";
import {
  type AuthState,
  consumeAuthState,
  consumeStateAndClaimCode,
  type ExchangeOutcome,
  findAuthState,
  findCodeExchange,
  findReturn,
  settleCodeExchange,
} from "../store/exchanges";
import { anyTripPending, findTrips } from "../store/trips";
import { completeExtendAtBank, type ReturnContext } from "./complete";
import { PARK_MS, parkReturn } from "./parked";

export type CallbackParams = {
  code?: string | null;
  /** TrueLayer's extensions page names the extend return's code `exchange_code`; its guide says `code`. */
  exchange_code?: string | null;
  state?: string | null;
  error?: string | null;
};

/** The fields we read from a return, whether they came as a query string or a posted form. */
export const CALLBACK_FIELDS = ["code", "exchange_code", "state", "error"] as const;

export function callbackParamsFrom(get: (field: string) => string | null | undefined): CallbackParams {
  const params: CallbackParams = {};
  for (const field of CALLBACK_FIELDS) {
    const value = get(field);
    if (typeof value === "string" && value.length > 0 && value.length <= 2048) params[field] = value;
  }
  return params;
}

// The user said no: nothing happened. Any other error code (never its text, which we do not show) is the
// bank's or TrueLayer's problem.
const USER_CANCELLED = new Set(["access_denied", "user_cancelled", "consent_denied"]);

export type CallbackContext = Omit<ReturnContext, "sessionUserId"> & { clientIp?: string | null };

const LINK_PROBLEM = "/connections/problem?reason=link";

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

async function returnedWithError(params: CallbackParams, sessionUserId: string | null) {
  const byUser = USER_CANCELLED.has(params.error ?? "");
  const row = params.state ? usable(await findAuthState(sha256Hex(params.state)), sessionUserId) : null;
  if (row) await consumeAuthState(row.id, now());
  // No state of ours (an extend trip's return may carry none): it was a renewal if one is under way here.
  const from = row ? (row.purpose === "EXTEND" ? "reconfirm" : "connect") : null;
  if (!byUser) return `/connections/problem?reason=bank_error${from ? `&from=${from}` : ""}`;
  if (!row) return "/connections/cancelled";
  if (row.purpose === "RECONNECT" && row.connectionIds[0]) {
    return `/connections/cancelled?reconnect=${encodeURIComponent(row.connectionIds[0])}`;
  }
  return `/connections/cancelled?from=${from}`;
}

async function racedTo(codeHash: string): Promise<string> {
  const raced = await findCodeExchange(codeHash);
  return raced ? resultPathFor(raced) : LINK_PROBLEM;
}

async function tripMayFinishHere(sessionUserId: string | null, browserHash: string | null): Promise<boolean> {
  if (!sessionUserId) return anyTripPending(now());
  const [mine, thisBrowser] = await Promise.all([
    findTrips({ userId: sessionUserId }),
    browserHash ? findTrips({ browserHash }) : [],
  ]);
  return mine.length + thisBrowser.length > 0;
}

async function bankReturn(code: string, sessionUserId: string | null, context: CallbackContext) {
  const { exchangeId, parked } = await completeExtendAtBank({ code, sessionUserId, ...context });
  return resultPathFor({
    id: exchangeId,
    outcome: { flow: "extend", status: parked ? "parked" : "completed" },
  });
}

// The state is consumed and the code recorded (by hash) before the exchange, so a forged, stale or replayed
// callback changes nothing; unvouched returns are parked (docs/decisions/016-bank-trip-binding.md).
export async function handleCallback(
  params: CallbackParams,
  sessionUserId: string | null,
  context: CallbackContext = {},
): Promise<string> {
  if (params.error) return returnedWithError(params, sessionUserId);
  const code = params.code ?? params.exchange_code;
  if (!code) return LINK_PROBLEM;

  const codeHash = sha256Hex(code);
  const { seen, state: known } = await findReturn(codeHash, params.state ? sha256Hex(params.state) : null);
  if (seen) return resultPathFor(seen);
  if (!known) {
    // No state of ours: only an extend trip this browser could finish is worth TrueLayer's time (a phone the
    // bank app opened has no cookies, so unsigned browsers may finish any). Anything else is answered at once.
    if (await tripMayFinishHere(sessionUserId, context.browserHash ?? null)) {
      return bankReturn(code, sessionUserId, context);
    }
    const limited = context.clientIp ? await limitUnmatchedReturn(context.clientIp) : undefined;
    return limited && !limited.allowed ? "/connections/problem?reason=too_many" : LINK_PROBLEM;
  }

  const state = usable(known, sessionUserId);
  if (!state) return LINK_PROBLEM;
  if (state.purpose === "EXTEND") {
    if (!(await consumeAuthState(state.id, now()))) return racedTo(codeHash);
    return bankReturn(code, sessionUserId ?? state.userId, context);
  }
  // The state is consumed and the code claimed in one statement, both before the exchange.
  const claim = await consumeStateAndClaimCode(
    state.id,
    codeHash,
    { flow: "connect", userId: state.userId },
    now(),
  );
  if (!claim.consumed || !claim.claimedId) return racedTo(codeHash);
  const claimId = claim.claimedId;
  const vouched =
    sessionUserId === state.userId ||
    (state.browserHash !== null && state.browserHash === context.browserHash);
  if (vouched || !context.park) {
    const result: ConnectOutcome & { settled?: boolean } = vouched
      ? await completeConnect(state, code, context, claimId)
      : { outcome: { flow: "connect", status: "failed", reason: "unvouched" } };
    if (!result.settled)
      await settleCodeExchange(claimId, result.outcome, { connectionId: result.connectionId ?? null });
    return resultPathFor({ id: claimId, outcome: result.outcome });
  }
  const answer = await readConnectAnswer(state, code, context);
  if (!answer.ok) {
    await settleCodeExchange(claimId, answer.outcome.outcome);
    return resultPathFor({ id: claimId, outcome: answer.outcome.outcome });
  }
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
