import "server-only";
import { now } from "@/lib/clock";
import { limitUnmatchedReturn } from "@/lib/security/limits";
import { completeExtendAtBank, type ReturnContext } from "./bank-return";
import { anyTripPending, findConnectionsAwaitingBank } from "./bank-trip-queries";
import { type ConnectOutcome, completeConnect, readConnectAnswer } from "./complete-connect";
import { sha256Hex } from "./hash";
import { parkReturn } from "./parked";
import {
  claimCodeExchange,
  consumeAuthState,
  findAuthState,
  findCodeExchange,
  recordExchangeOutcome,
} from "./queries";

export type CallbackParams = { code?: string | null; state?: string | null; error?: string | null };

/** What the route knows of the browser: its binding, its parking cookie jar, its trusted address. */
export type CallbackContext = Omit<ReturnContext, "sessionUserId"> & { clientIp?: string | null };

const LINK_PROBLEM = "/connections/problem?reason=link";

/** Where a recorded exchange's finished result lives (a reload or second arrival lands there). */
export function resultPathFor(exchange: { id: string; outcome: string }): string {
  const id = encodeURIComponent(exchange.id);
  if (exchange.outcome.endsWith(":parked")) return `/connections/finish?exchange=${id}`;
  return exchange.outcome.startsWith("extend:")
    ? `/reconfirm/progress?exchange=${id}`
    : `/connections/result/${id}`;
}

async function usableState(rawState: string, sessionUserId: string | null) {
  const row = await findAuthState(sha256Hex(rawState));
  if (!row || row.consumedAt || row.expiresAt <= now()) return null;
  // A state started by someone else must not complete in this browser's account.
  if (sessionUserId && row.userId !== sessionUserId) return null;
  return row;
}

async function cancelled(rawState: string | null | undefined, sessionUserId: string | null) {
  const row = rawState ? await usableState(rawState, sessionUserId) : null;
  if (!row) return "/connections/cancelled";
  await consumeAuthState(row.id, now());
  if (row.purpose === "RECONNECT" && row.connectionIds[0]) {
    return `/connections/cancelled?reconnect=${encodeURIComponent(row.connectionIds[0])}`;
  }
  return row.purpose === "EXTEND"
    ? "/connections/cancelled?from=reconfirm"
    : "/connections/cancelled?from=connect";
}

async function tripMayFinishHere(sessionUserId: string | null, browserHash: string | null): Promise<boolean> {
  if (!sessionUserId) return anyTripPending(now());
  const [mine, thisBrowser] = await Promise.all([
    findConnectionsAwaitingBank({ userId: sessionUserId }),
    browserHash ? findConnectionsAwaitingBank({ browserHash }) : [],
  ]);
  return mine.length + thisBrowser.length > 0;
}

async function bankReturn(code: string, sessionUserId: string | null, context: CallbackContext) {
  const { exchangeId, parked } = await completeExtendAtBank({ code, sessionUserId, ...context });
  return resultPathFor({ id: exchangeId, outcome: parked ? "extend:parked" : "extend:done" });
}

/**
 * The whole /callback contract; returns the page to send the browser to. A state is checked and
 * consumed before its code is exchanged, and the code is recorded (by hash) before the exchange, so
 * a forged, stale or replayed callback changes nothing and a reload shows the finished result.
 * A return the starting browser (its binding cookie) or the owner's session vouches for completes;
 * any other is exchanged and parked until that browser signs in as the trip's owner.
 */
export async function handleCallback(
  params: CallbackParams,
  sessionUserId: string | null,
  context: CallbackContext = {},
): Promise<string> {
  if (params.error) return cancelled(params.state, sessionUserId);
  const code = params.code;
  if (!code) return LINK_PROBLEM;

  const codeHash = sha256Hex(code);
  const seen = await findCodeExchange(codeHash);
  if (seen) return resultPathFor(seen);
  const known = params.state ? await findAuthState(sha256Hex(params.state)) : null;
  if (!known) {
    // No state of ours: only an extend trip to a bank explains it, and only one under way that this
    // browser could finish is worth TrueLayer's time (a signed-in browser: one of its own; any other:
    // any, as a phone the bank app opened has no cookies). Anything else is answered at once (and
    // counted, where the address is known).
    if (await tripMayFinishHere(sessionUserId, context.browserHash ?? null)) {
      return bankReturn(code, sessionUserId, context);
    }
    const limited = context.clientIp ? await limitUnmatchedReturn(context.clientIp) : undefined;
    return limited && !limited.allowed ? "/connections/problem?reason=too_many" : LINK_PROBLEM;
  }

  const state = params.state ? await usableState(params.state, sessionUserId) : null;
  if (!state) return LINK_PROBLEM;
  if (!(await consumeAuthState(state.id, now()))) {
    const raced = await findCodeExchange(codeHash);
    return raced ? resultPathFor(raced) : LINK_PROBLEM;
  }
  if (state.purpose === "EXTEND") return bankReturn(code, sessionUserId ?? state.userId, context);

  const claim = await claimCodeExchange(codeHash, state.userId, "connect:pending");
  if (!claim) {
    const raced = await findCodeExchange(codeHash);
    return raced ? resultPathFor(raced) : LINK_PROBLEM;
  }
  const vouched =
    sessionUserId === state.userId ||
    (state.browserHash !== null && state.browserHash === context.browserHash);
  if (vouched || !context.park) {
    const result: ConnectOutcome = vouched
      ? await completeConnect(state, code, context)
      : { outcome: "connect:failed:unvouched" };
    await recordExchangeOutcome(claim.id, { outcome: result.outcome, connectionId: result.connectionId });
    return resultPathFor({ id: claim.id, outcome: result.outcome });
  }
  const answer = await readConnectAnswer(state, code, context);
  if (!answer.ok) {
    await recordExchangeOutcome(claim.id, { outcome: answer.outcome.outcome });
    return resultPathFor({ id: claim.id, outcome: answer.outcome.outcome });
  }
  await parkReturn({
    exchangeId: claim.id,
    purpose: state.purpose,
    ownerId: state.userId,
    connectionIds: state.connectionIds,
    snapshot: answer.snapshot,
    browserHash: await context.park(),
  });
  return resultPathFor({ id: claim.id, outcome: "connect:parked" });
}
