import { type ConnectionStatus, Prisma } from "@prisma/client";
import type { NewTokens, Transition } from "./transitions";

// The row's columns and facts each transition sets; `null` clears one, a column left out stays as it is.

const CAST = {
  accessTokenSealed: "",
  refreshTokenSealed: "",
  tokenKeyId: "",
  accessTokenExpiresAt: "::timestamp(3)",
  consentCreatedAt: "::timestamp(3)",
  consentExpiresAt: "::timestamp(3)",
  credentialsId: "",
  providerId: "",
  providerName: "",
  providerLogoUrl: "",
  scopes: "::text[]",
  status: '::"ConnectionStatus"',
  statusReason: "",
  renewedAt: "::timestamp(3)",
  bankAskedLast: "::boolean",
  tripSentAt: "::timestamp(3)",
  tripSecretHash: "",
  tripReconfirmationId: "",
  declinedAt: "::timestamp(3)",
  outcomeUnknownAt: "::timestamp(3)",
  grantLostAt: "::timestamp(3)",
  lastResult: "",
  lastResultReason: "",
  lastResultAt: "::timestamp(3)",
  lastReconfirmationId: "",
  factsEventAt: "::timestamp(3)",
} as const;

export type Column = keyof typeof CAST;
export type Columns = Partial<Record<Column, string | string[] | boolean | Date | null>>;

export function setList(columns: Columns): Prisma.Sql[] {
  return (Object.keys(CAST) as Column[])
    .filter((key) => columns[key] !== undefined)
    .map((key) => Prisma.sql`${Prisma.raw(`"${key}"`)} = ${columns[key]}${Prisma.raw(CAST[key])}`);
}

const tokenColumns = (t: NewTokens, keepRefresh: boolean): Columns => ({
  accessTokenSealed: t.accessTokenSealed,
  // A reconnect brings a new token family: never keep an old refresh token beside it.
  refreshTokenSealed: t.refreshTokenSealed ?? (keepRefresh ? undefined : null),
  tokenKeyId: t.tokenKeyId,
  accessTokenExpiresAt: t.accessTokenExpiresAt,
  outcomeUnknownAt: null,
});

const noTrip: Columns = { tripSentAt: null, tripSecretHash: null, tripReconfirmationId: null };
const live = (status: ConnectionStatus = "ACTIVE"): Columns => ({ status, statusReason: null });
const result = (type: string, at: Date, reason: string | null, reconfirmationId: string | null): Columns => ({
  lastResult: type,
  lastResultReason: reason,
  lastResultAt: at,
  lastReconfirmationId: reconfirmationId,
});
const renewed = (at: Date): Columns => ({
  renewedAt: at,
  declinedAt: null,
  grantLostAt: null,
  ...noTrip,
  ...live(),
});

export function columnsOf(t: Transition, at: Date): Columns {
  switch (t.kind) {
    case "refreshed":
      return tokenColumns(t.tokens, true);
    case "extended":
      return {
        ...tokenColumns(t.tokens, true),
        ...renewed(at),
        consentExpiresAt: t.consentExpiresAt,
        bankAskedLast: false,
        ...result("EXTENDED", at, null, t.reconfirmationId),
      };
    case "sent_to_bank":
      return {
        bankAskedLast: true,
        tripSentAt: at,
        tripSecretHash: t.tripSecretHash,
        tripReconfirmationId: t.reconfirmationId,
        outcomeUnknownAt: null,
        ...result("SENT_TO_BANK", at, t.action, t.reconfirmationId),
      };
    case "completed_at_bank": {
      const s = t.snapshot;
      return {
        ...tokenColumns({ ...s.tokens, accessTokenExpiresAt: s.accessTokenExpiresAt }, !t.retire),
        ...renewed(at),
        consentExpiresAt: t.consentExpiresAt,
        credentialsId: s.credentialsId,
        bankAskedLast: true,
        ...result("COMPLETED_AT_BANK", at, null, t.reconfirmationId),
      };
    }
    case "cancelled_at_bank":
      return { ...noTrip, ...result("CANCELLED_AT_BANK", at, "user_cancelled", t.reconfirmationId) };
    case "reconnected": {
      const { tokens, accounts: _accounts, accessTokenExpiresAt, ...facts } = t.snapshot;
      return {
        ...tokenColumns({ ...tokens, accessTokenExpiresAt }, false),
        ...facts,
        ...renewed(at),
        bankAskedLast: false,
      };
    }
    case "failed":
      return {
        ...(t.needsBank || t.grantLost ? { status: "NEEDS_BANK_AUTH", statusReason: t.reason } : {}),
        ...(t.outcomeUnknown ? { outcomeUnknownAt: at } : {}),
        ...(t.grantLost ? { grantLostAt: at, outcomeUnknownAt: null } : {}),
        ...result("FAILED", at, t.reason, t.reconfirmationId ?? null),
      };
    case "declined":
      return { declinedAt: at };
    case "unanswered":
      return { outcomeUnknownAt: at };
    case "revoked":
      return {
        accessTokenSealed: null,
        refreshTokenSealed: null,
        tokenKeyId: null,
        accessTokenExpiresAt: null,
        outcomeUnknownAt: null,
        status: "REVOKED",
        statusReason: t.reason,
        ...noTrip,
      };
  }
}
