import type { ConnectionEventType } from "@prisma/client";
import type { BankSnapshot } from "./snapshot";

// What can happen to a connection we hold, as data; commit() writes one in a single statement (decision 043).

export type NewTokens = {
  accessTokenSealed: string;
  /** Absent: TrueLayer sent none, so the stored one stays. */
  refreshTokenSealed?: string;
  tokenKeyId: string;
  accessTokenExpiresAt: Date;
};

/** The grant the row held, given up without TrueLayer confirming its end: queued for revocation in the same statement. */
export type Retired = { reason: "stopped" | "declined" | "replaced" | "deleted"; unanswered?: boolean };

// answer_lost: our tokens are dead because an answer that rotated them never reached us; the grant may live on.
export type StopReason =
  | "user_stopped"
  | "already_ended_at_truelayer"
  | "truelayer_unreachable"
  | "answer_lost";

export type Transition =
  | { kind: "refreshed"; tokens: NewTokens }
  | { kind: "extended"; tokens: NewTokens; consentExpiresAt: Date; reconfirmationId: string }
  | { kind: "sent_to_bank"; reconfirmationId: string; tripSecretHash: string | null; action: string }
  | {
      kind: "completed_at_bank";
      snapshot: BankSnapshot;
      consentExpiresAt: Date;
      reconfirmationId: string | null;
      /** The exchange it settles; absent when the browser that brought it back is told it was not theirs. */
      exchangeId?: string;
      retire?: Retired;
    }
  | { kind: "cancelled_at_bank"; reconfirmationId: string | null; exchangeId?: string }
  | { kind: "reconnected"; snapshot: BankSnapshot; exchangeId?: string; retire?: Retired }
  | {
      kind: "failed";
      reason: string;
      reconfirmationId?: string | null;
      /** The stored refresh token cannot renew it any more: the user must go to their bank. */
      needsBank?: boolean;
      /** TrueLayer may have acted; the stored tokens are kept for the next try. */
      outcomeUnknown?: boolean;
      /** A lost answer: a live grant whose tokens nobody holds. */
      grantLost?: boolean;
    }
  | { kind: "declined" }
  /** A call that may have changed the tokens went unanswered: they are kept, and remembered as uncertain. */
  | { kind: "unanswered" }
  | { kind: "revoked"; reason: StopReason; retire?: Retired };

export type EventOf = {
  type: ConnectionEventType;
  reason?: string | null;
  reconfirmationId?: string | null;
  consentExpiresAt?: Date | null;
  browserHash?: string | null;
};

export function eventOf(t: Transition): EventOf | null {
  switch (t.kind) {
    case "extended":
      return { type: "EXTENDED", reconfirmationId: t.reconfirmationId, consentExpiresAt: t.consentExpiresAt };
    case "sent_to_bank":
      return {
        type: "SENT_TO_BANK",
        reason: t.action,
        reconfirmationId: t.reconfirmationId,
        browserHash: t.tripSecretHash,
      };
    case "completed_at_bank":
      return {
        type: "COMPLETED_AT_BANK",
        reconfirmationId: t.reconfirmationId,
        consentExpiresAt: t.consentExpiresAt,
      };
    case "cancelled_at_bank":
      return { type: "CANCELLED_AT_BANK", reason: "user_cancelled", reconfirmationId: t.reconfirmationId };
    case "reconnected":
      return { type: "RECONNECTED", consentExpiresAt: t.snapshot.consentExpiresAt };
    case "failed":
      return { type: "FAILED", reason: t.reason, reconfirmationId: t.reconfirmationId ?? null };
    case "declined":
      return { type: "DECLINED", reason: "user_declined" };
    case "revoked":
      return { type: "REVOKED", reason: t.reason };
    default:
      return null;
  }
}
