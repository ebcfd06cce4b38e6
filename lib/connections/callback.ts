import "server-only";
import { now } from "@/lib/clock";
import { completeExtendAtBank } from "./bank-return";
import { completeConnect } from "./complete-connect";
import { sha256Hex } from "./hash";
import {
  claimCodeExchange,
  consumeAuthState,
  findAuthState,
  findCodeExchange,
  recordExchangeOutcome,
} from "./queries";

export type CallbackParams = { code?: string | null; state?: string | null; error?: string | null };

const LINK_PROBLEM = "/connections/problem?reason=link";

/** Where a recorded exchange's finished result lives (a reload or second arrival lands there). */
export function resultPathFor(exchange: { id: string; outcome: string }): string {
  return exchange.outcome.startsWith("extend:")
    ? `/reconfirm/progress?exchange=${encodeURIComponent(exchange.id)}`
    : `/connections/result/${encodeURIComponent(exchange.id)}`;
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

async function bankReturn(code: string, sessionUserId: string | null, psuIp: string | undefined) {
  const { exchangeId } = await completeExtendAtBank({ code, sessionUserId, psuIp });
  return `/reconfirm/progress?exchange=${encodeURIComponent(exchangeId)}`;
}

/**
 * The whole /callback contract; returns the page to send the browser to. A state is checked and
 * consumed before its code is exchanged, and the code is recorded (by hash) before the exchange, so
 * a forged, stale or replayed callback changes nothing and a reload shows the finished result.
 */
export async function handleCallback(
  params: CallbackParams,
  sessionUserId: string | null,
  context: { psuIp?: string } = {},
): Promise<string> {
  if (params.error) return cancelled(params.state, sessionUserId);
  const code = params.code;
  if (!code) return LINK_PROBLEM;

  const codeHash = sha256Hex(code);
  const seen = await findCodeExchange(codeHash);
  if (seen) return resultPathFor(seen);
  // Extend's bank journey returns with a code and no state: that is the reconfirmation's return.
  if (!params.state) return bankReturn(code, sessionUserId, context.psuIp);

  const state = await usableState(params.state, sessionUserId);
  if (!state) return LINK_PROBLEM;
  if (!(await consumeAuthState(state.id, now()))) {
    const raced = await findCodeExchange(codeHash);
    return raced ? resultPathFor(raced) : LINK_PROBLEM;
  }
  if (state.purpose === "EXTEND") return bankReturn(code, sessionUserId ?? state.userId, context.psuIp);

  const claim = await claimCodeExchange(codeHash, state.userId, "connect:pending");
  if (!claim) {
    const raced = await findCodeExchange(codeHash);
    return raced ? resultPathFor(raced) : LINK_PROBLEM;
  }
  const result = await completeConnect(state, code, context);
  await recordExchangeOutcome(claim.id, { outcome: result.outcome, connectionId: result.connectionId });
  return resultPathFor({ id: claim.id, outcome: result.outcome });
}
