import "server-only";
import { addDays, now } from "@/lib/clock";
import { alertOperator } from "@/lib/operator-alert";
import { type Account, type ListOf, type Me, redact, TrueLayerError } from "@/lib/truelayer";
import { CONSENT_DAYS } from "../consent-state";
import { CONNECT_SCOPES, fallbackAccountName, maskAccountNumber } from "../describe";
import { accountFingerprint } from "../hash";
import {
  type BankSnapshot,
  createConnection,
  findConnectionToReplace,
  replaceConnection,
} from "../store/connections";
import { appendEvent } from "../store/events";
import type { ExchangeOutcome } from "../store/exchanges";
import { openSecret, sealedTokenColumns } from "../tokens";
import { truelayer } from "../truelayer";

export type ConnectOutcome =
  | { outcome: ExchangeOutcome & { status: "connected" | "reconnected" }; connectionId: string }
  | { outcome: ExchangeOutcome & { status: "failed" }; connectionId?: undefined };

const failed = (reason: string): ConnectOutcome => ({
  outcome: { flow: "connect", status: "failed", reason },
});

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
  if (error.reconnectRequired && !/^account_|^user_input|^wrong_/.test(error.code))
    return "reconnect_required";
  return /^[a-z0-9_]{1,40}$/.test(error.code) ? error.code : "unexpected";
}

export function snapshotFrom(
  tokens: { accessToken: string; refreshToken?: string; expiresIn: number; scope?: string[] },
  me: Me,
  accounts: Account[] | ListOf<Account>,
): BankSnapshot {
  const at = now();
  if ("dropped" in accounts && accounts.dropped > 0) {
    console.warn(`TrueLayer sent ${accounts.dropped} account(s) without an account_id; they were left out.`);
  }
  const fromAccounts = accounts.find((a) => a.provider)?.provider;
  const provider = { ...fromAccounts, ...me.provider };
  return {
    tokens: sealedTokenColumns(tokens),
    accessTokenExpiresAt: new Date(at.getTime() + tokens.expiresIn * 1000),
    scopes: tokens.scope?.length ? tokens.scope : [...CONNECT_SCOPES],
    credentialsId: me.credentialsId,
    providerId: provider.providerId ?? "unknown",
    providerName: provider.displayName ?? fromAccounts?.displayName ?? "Your bank",
    providerLogoUrl: provider.logoUri ?? fromAccounts?.logoUri ?? null,
    consentCreatedAt: me.consentCreatedAt ?? at,
    consentExpiresAt: me.consentExpiresAt ?? addDays(at, CONSENT_DAYS),
    accounts: accounts.map((a) => {
      const masked = maskAccountNumber(a.accountNumber?.number, a.accountNumber?.iban);
      return {
        truelayerAccountId: a.accountId,
        displayName: a.displayName ?? a.description ?? fallbackAccountName(a.accountType, masked),
        accountType: a.accountType ?? "UNKNOWN",
        maskedNumber: masked,
        fingerprint: accountFingerprint(a.accountNumber),
        currency: a.currency ?? "",
      };
    }),
  };
}

async function recordReconnectFailure(state: AuthStateRow, code: string): Promise<ConnectOutcome> {
  const connectionId = state.purpose === "RECONNECT" ? state.connectionIds[0] : undefined;
  if (connectionId) await appendEvent({ connectionId, type: "FAILED", reason: code });
  return failed(code);
}

// With `exchangeId`, the exchange's outcome is stored with the connection (`settled` says so).
export async function storeConnectAnswer(
  state: AuthStateRow,
  snapshot: BankSnapshot,
  exchangeId?: string,
): Promise<ConnectOutcome & { settled?: boolean }> {
  const named = state.purpose === "RECONNECT" ? state.connectionIds[0] : undefined;
  const settle = (status: "connected" | "reconnected") =>
    exchangeId
      ? (connectionId: string) => ({
          id: exchangeId,
          outcome: { flow: "connect", status } as const,
          about: { connectionId },
        })
      : undefined;
  const settled = exchangeId !== undefined;
  // A concurrent token write can move the version on; re-read and try again a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await findConnectionToReplace(state.userId, snapshot, named);
    if (!existing) {
      const created = await createConnection(state.userId, snapshot, settle("connected"));
      return { outcome: { flow: "connect", status: "connected" }, connectionId: created.id, settled };
    }
    if (await replaceConnection(existing.id, existing.version, snapshot, settle("reconnected"))) {
      return { outcome: { flow: "connect", status: "reconnected" }, connectionId: existing.id, settled };
    }
  }
  return failed("busy");
}

export type ConnectAnswer = { ok: true; snapshot: BankSnapshot } | { ok: false; outcome: ConnectOutcome };

// When the data reads fail after the exchange, the new grant is revoked at TrueLayer so none is left behind.
export async function readConnectAnswer(
  state: AuthStateRow,
  code: string,
  context: { psuIp?: string } = {},
): Promise<ConnectAnswer> {
  const client = truelayer();
  let tokens: Awaited<ReturnType<typeof client.exchangeCode>>;
  try {
    tokens = await client.exchangeCode({
      code,
      redirectUri: state.redirectUri,
      codeVerifier: state.codeVerifierSealed ? openSecret(state.codeVerifierSealed) : undefined,
    });
  } catch (error) {
    if (error instanceof TrueLayerError && error.clientRejected) {
      alertOperator("TrueLayer refused our client credentials on the code exchange", error);
    } else console.warn("Connect: code exchange failed", redact(error));
    return { ok: false, outcome: await recordReconnectFailure(state, failureCode(error)) };
  }
  try {
    const [me, accounts] = await Promise.all([
      // The user is present (their browser's callback): say so, so no unattended limit applies.
      client.getMe(tokens.accessToken, { psuIp: context.psuIp }),
      client.getAccounts(tokens.accessToken, { psuIp: context.psuIp }),
    ]);
    return { ok: true, snapshot: snapshotFrom(tokens, me, accounts) };
  } catch (error) {
    console.warn("Connect: reading the new connection failed", redact(error));
    await client.deleteConnection(tokens.accessToken).catch(() => undefined);
    return { ok: false, outcome: await recordReconnectFailure(state, failureCode(error)) };
  }
}

// Nothing is stored unless every step succeeded.
export async function completeConnect(
  state: AuthStateRow,
  code: string,
  context: { psuIp?: string } = {},
  exchangeId?: string,
): Promise<ConnectOutcome & { settled?: boolean }> {
  const answer = await readConnectAnswer(state, code, context);
  if (!answer.ok) return answer.outcome;
  try {
    return await storeConnectAnswer(state, answer.snapshot, exchangeId);
  } catch (error) {
    console.warn("Connect: storing the new connection failed", redact(error));
    await truelayer()
      .deleteConnection(openSecret(answer.snapshot.tokens.accessTokenSealed))
      .catch(() => undefined);
    return recordReconnectFailure(state, failureCode(error));
  }
}
