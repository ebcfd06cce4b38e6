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

export type CallbackParams = { code?: string | null; state?: string | null; error?: string | null };

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

async function cancelled(rawState: string | null | undefined, sessionUserId: string | null) {
  const row = rawState ? usable(await findAuthState(sha256Hex(rawState)), sessionUserId) : null;
  if (!row) return "/connections/cancelled";
  await consumeAuthState(row.id, now());
  if (row.purpose === "RECONNECT" && row.connectionIds[0]) {
    return `/connections/cancelled?reconnect=${encodeURIComponent(row.connectionIds[0])}`;
  }
  return row.purpose === "EXTEND"
    ? "/connections/cancelled?from=reconfirm"
    : "/connections/cancelled?from=connect";
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
  if (params.error) return cancelled(params.state, sessionUserId);
  const code = params.code;
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
