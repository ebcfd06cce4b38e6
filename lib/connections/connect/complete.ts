import "server-only";
import { failureFields, log } from "@/lib/log";
import { alertOperator } from "@/lib/operator-alert";
import { redact, type TokenSet, TrueLayerError } from "@/lib/truelayer";
import {
  type BalanceReadClaim,
  type BankSnapshot,
  commit,
  createUnlessReplacing,
  exchangeAndHold,
  holdOrWait,
  ignoreLostLease,
  LostLeaseError,
  release,
  retireExchangeGrant,
  snapshotFrom,
} from "../custody";
import { openSecret } from "../sealed-tokens";
import { type ExchangeOutcome, settleCodeExchange } from "../store/exchanges";
import { truelayer } from "../truelayer-client";

export { snapshotFrom } from "../custody";

export type ConnectOutcome =
  | { outcome: ExchangeOutcome & { status: "connected" | "reconnected" }; connectionId: string }
  | { outcome: ExchangeOutcome & { status: "failed" }; connectionId?: undefined };

const failed = (reason: string): ConnectOutcome => ({
  outcome: { flow: "connect", status: "failed", reason },
});

// A reconnect that did not go through is part of that connection's history; nothing else of it changes.
async function recordReconnectFailure(state: AuthStateRow, reason: string): Promise<void> {
  const connectionId = state.purpose === "RECONNECT" ? state.connectionIds[0] : undefined;
  if (!connectionId) return;
  const got = await holdOrWait(connectionId, state.userId, "reconnect-failed");
  if ("held" in got) await commit(got.held, { kind: "failed", reason }).catch(ignoreLostLease);
}

export type AuthStateRow = {
  userId: string;
  purpose: string;
  connectionIds: string[];
  redirectUri: string;
  codeVerifierSealed: string | null;
};

// Never upstream text.
function failureCode(error: unknown): string {
  if (!(error instanceof TrueLayerError)) return "not_saved";
  if (error.outcomeUnknown) return "outcome_unknown";
  if (error.code === "invalid_authorization_code") return "invalid_authorization_code";
  if (error.reconnectRequired && !/^account_|^user_input|^wrong_/.test(error.code))
    return "reconnect_required";
  return /^[a-z0-9_]{1,40}$/.test(error.code) ? error.code : "unexpected";
}

/** Replaces in place (history kept), else new; a replaced grant is queued (decision 043). Taken meanwhile: busy. */
export async function storeConnectAnswer(
  state: AuthStateRow,
  snapshot: BankSnapshot,
  exchangeId?: string,
  claimRead?: { unattended: boolean },
): Promise<ConnectOutcome & { settled?: boolean; read?: BalanceReadClaim }> {
  const named = state.purpose === "RECONNECT" ? state.connectionIds[0] : undefined;
  const settled = exchangeId !== undefined;
  const settle = exchangeId
    ? (connectionId: string) => ({
        id: exchangeId,
        outcome: { flow: "connect", status: "connected" } as const,
        about: { connectionId },
      })
    : undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await createUnlessReplacing(state.userId, snapshot, { namedId: named, settle, claimRead });
    if (!("replaces" in stored))
      return {
        outcome: { flow: "connect", status: "connected" },
        connectionId: stored.id,
        settled,
        ...(stored.read ? { read: stored.read } : {}),
      };
    const got = await holdOrWait(stored.replaces, state.userId, "reconnect");
    if (!("held" in got)) continue;
    if (got.held.status === "REVOKED") {
      await release(got.held);
      continue;
    }
    const replaced = got.held.credentialsId !== null && got.held.credentialsId !== snapshot.credentialsId;
    try {
      await commit(
        got.held,
        { kind: "reconnected", snapshot, exchangeId, retire: replaced ? { reason: "replaced" } : undefined },
        { revokeNow: true },
      );
    } catch (error) {
      if (!(error instanceof LostLeaseError)) throw error;
      return failed("busy");
    }
    return { outcome: { flow: "connect", status: "reconnected" }, connectionId: stored.replaces, settled };
  }
  return failed("busy");
}

export type ConnectAnswer = { ok: true; snapshot: BankSnapshot } | { ok: false; outcome: ConnectOutcome };

/** The code exchanged (its grant held on the exchange row at once) and the new connection read. A grant that
 * cannot be read is queued for revocation, so none is left behind. A failure settles the exchange. */
export async function readConnectAnswer(
  state: AuthStateRow,
  code: string,
  context: { psuIp?: string },
  exchangeId: string,
): Promise<ConnectAnswer> {
  let tokens: TokenSet;
  try {
    tokens = await exchangeAndHold(exchangeId, {
      code,
      redirectUri: state.redirectUri,
      codeVerifier: state.codeVerifierSealed ? openSecret(state.codeVerifierSealed) : undefined,
    });
  } catch (error) {
    const rejected = error instanceof TrueLayerError && error.clientRejected;
    log[rejected ? "error" : "warn"]("connect.code_exchange_failed", {
      userId: state.userId,
      ...failureFields(error),
    });
    let code = failureCode(error);
    if (rejected) {
      const alerted = await alertOperator(
        "credentials_refused",
        "TrueLayer refused our client credentials on the code exchange",
      );
      if (!alerted) code = "invalid_client_unalerted";
    }
    const outcome = failed(code);
    await settleCodeExchange(exchangeId, outcome.outcome);
    await recordReconnectFailure(state, code);
    return { ok: false, outcome };
  }
  try {
    const client = truelayer();
    const [me, accounts] = await Promise.all([
      // The user is present (their browser's callback): say so, so no unattended limit applies.
      client.getMe(tokens.accessToken, { psuIp: context.psuIp }),
      client.getAccounts(tokens.accessToken, { psuIp: context.psuIp }),
    ]);
    return { ok: true, snapshot: snapshotFrom(tokens, me, accounts) };
  } catch (error) {
    log.warn("connect.read_failed", { userId: state.userId, ...failureFields(error) });
    const outcome = failed(failureCode(error));
    await retireExchangeGrant(exchangeId, outcome.outcome, { credentialsId: null, reason: "unreadable" });
    await recordReconnectFailure(state, failureCode(error));
    return { ok: false, outcome };
  }
}

// All steps or nothing stored; an unstored grant is queued. `readClaimed`: the first read, claimed when stored.
export async function completeConnect(
  state: AuthStateRow,
  code: string,
  context: { psuIp?: string; readClaimed?: (claim: BalanceReadClaim) => void },
  exchangeId: string,
): Promise<ConnectOutcome & { settled?: boolean }> {
  const answer = await readConnectAnswer(state, code, context, exchangeId);
  if (!answer.ok) return { ...answer.outcome, settled: true };
  try {
    const claimRead = context.readClaimed ? { unattended: context.psuIp === undefined } : undefined;
    const stored = await storeConnectAnswer(state, answer.snapshot, exchangeId, claimRead);
    if (stored.read) context.readClaimed?.(stored.read);
    if (stored.outcome.status === "failed") {
      await retireQueued(exchangeId, stored.outcome, answer.snapshot);
      return { ...stored, settled: true };
    }
    return stored;
  } catch (error) {
    console.warn("Connect: storing the new connection failed", redact(error));
    const outcome = failed(failureCode(error));
    await retireQueued(exchangeId, outcome.outcome, answer.snapshot);
    return { ...outcome, settled: true };
  }
}

const retireQueued = (exchangeId: string, outcome: ExchangeOutcome, snapshot: BankSnapshot) =>
  retireExchangeGrant(exchangeId, outcome, {
    credentialsId: snapshot.credentialsId,
    reason: "unsaved",
    providerId: snapshot.providerId,
    providerName: snapshot.providerName,
  });
