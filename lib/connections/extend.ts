import "server-only";
import type { ConnectionEventType } from "@prisma/client";
import { addDays, now } from "@/lib/clock";
import { db } from "@/lib/db";
import { type ExtendResult, isTrueLayerError, type TrueLayerError } from "@/lib/truelayer";
import { CONSENT_DAYS } from "./consent-state";
import { outcomeOfOtherRequest } from "./extend-wait";
import {
  type ClaimedConnection,
  claimConnection,
  completeLease,
  completeLeaseWithEvent,
  type Lease,
  type LeaseColumns,
  LostLeaseError,
} from "./lease";
import { appendConnectionEvent } from "./reconfirm-queries";
import { findRecentResults } from "./reconfirm-store";
import { openSecret, sealedTokenColumns } from "./tokens";
import { callbackUrl, truelayer } from "./truelayer";

/** A result under the same wording within this window is shown again instead of calling TrueLayer twice. */
export const RECENT_RESULT_MS = 10 * 60 * 1000;

/** Our own reason codes, stored on FAILED events and mapped to words in reconfirm-results.ts. */
export type FailReason =
  | "consent_screen_not_reviewed"
  | "reconnect_required"
  | "outcome_unknown"
  | "no_refresh_token"
  | "details_rejected"
  | "bank_unavailable"
  | "extend_failed";

export type ExtendOutcome = (
  | { kind: "extended"; consentExpiresAt: Date }
  | { kind: "bank"; userInputLink?: string }
  | { kind: "in_progress" }
  | { kind: "failed"; reason: FailReason }
) & {
  /** Set when this is another request's result (same wording), reported instead of calling TrueLayer again. */
  handledIn?: string;
};

export type ExtendRequest = {
  connectionId: string;
  userId: string;
  reconfirmationId: string;
  copyHash: string;
  user: { name: string; email: string };
  /** "Continue to <bank>" asks for a fresh link even though one was handed out lately. */
  freshLink?: boolean;
  /** The binding of the browser that will be sent to the bank (lib/security/browser-binding.ts). */
  browserHash?: string;
  /**
   * The connection's version when the caller found no earlier result under this wording (read in the
   * same snapshot). If our claim is the only write since, that finding still holds.
   */
  checkedAtVersion?: number;
  /** Claimed already, with the reconfirmation record; null when another request held it then. */
  claimed?: ClaimedConnection | null;
};

function failReason(error: TrueLayerError): FailReason {
  if (error.outcomeUnknown) return "outcome_unknown";
  // 403 unauthorized_client: extend is not enabled for our client; the way out is the same.
  if (error.consentScreenNotReviewed || error.code === "unauthorized_client") {
    return "consent_screen_not_reviewed";
  }
  if (error.reconnectRequired) return "reconnect_required";
  if (error.fieldErrors) return "details_rejected";
  if (error.retryable) return "bank_unavailable";
  return "extend_failed";
}

/** Gives the lease back and appends one event, together, so the next claimer sees the event. */
function settle(
  lease: Lease,
  request: ExtendRequest,
  type: ConnectionEventType,
  reason: string,
  columns: LeaseColumns = {},
): Promise<void> {
  return completeLeaseWithEvent(db(), lease, columns, {
    type,
    reason,
    reconfirmationId: request.reconfirmationId,
    browserHash: type === "SENT_TO_BANK" ? request.browserHash : undefined,
  });
}

async function alreadyHandled(request: ExtendRequest): Promise<ExtendOutcome | undefined> {
  const since = new Date(now().getTime() - RECENT_RESULT_MS);
  const recent = (await findRecentResults([request.connectionId], request.copyHash, since)).get(
    request.connectionId,
  );
  if (!recent) return undefined;
  const handledIn = recent.reconfirmationId ?? undefined;
  if (recent.type === "SENT_TO_BANK") return request.freshLink ? undefined : { kind: "bank", handledIn };
  return { kind: "extended", consentExpiresAt: recent.consentExpiresAt ?? now(), handledIn };
}

/**
 * Extends one connection after the user reconfirmed (the Reconfirmation row already exists).
 * Claim → call TrueLayer with no transaction open → store the answer with a compare-and-set.
 */
export async function extendOne(request: ExtendRequest): Promise<ExtendOutcome> {
  const arrivedAt = now();
  let lease =
    request.claimed !== undefined
      ? request.claimed
      : await claimConnection(db(), request.connectionId, request.userId, "extend");
  if (!lease) {
    const other = await outcomeOfOtherRequest(request.connectionId, request.copyHash, arrivedAt);
    if (other) return other;
    lease = await claimConnection(db(), request.connectionId, request.userId, "extend");
    if (!lease) return { kind: "in_progress" };
  }
  const untouched = request.checkedAtVersion !== undefined && lease.version === request.checkedAtVersion + 1;
  const previous = untouched ? undefined : await alreadyHandled(request);
  if (previous) {
    await completeLease(db(), lease, {});
    return previous;
  }
  // Stopped while this request waited for the lease: never bring it back to life.
  if (lease.status === "REVOKED") {
    await settle(lease, request, "FAILED", "reconnect_required");
    return { kind: "failed", reason: "reconnect_required" };
  }
  if (!lease.refreshTokenSealed) {
    await settle(lease, request, "FAILED", "no_refresh_token", { status: "NEEDS_BANK_AUTH" });
    return { kind: "failed", reason: "no_refresh_token" };
  }

  let result: ExtendResult;
  try {
    result = await truelayer().extendConnection({
      refreshToken: openSecret(lease.refreshTokenSealed),
      redirectUri: callbackUrl(),
      user: request.user,
    });
  } catch (error) {
    if (!isTrueLayerError(error)) {
      await settle(lease, request, "FAILED", "extend_failed");
      throw error;
    }
    const reason = failReason(error);
    // Only these two leave the stored refresh token useless (dead, or possibly spent upstream).
    const deadEnd = reason === "outcome_unknown" || reason === "reconnect_required";
    await settle(
      lease,
      request,
      "FAILED",
      reason,
      deadEnd ? { status: "NEEDS_BANK_AUTH", statusReason: reason } : {},
    );
    return { kind: "failed", reason };
  }

  if (result.action !== "no_action_needed") {
    await settle(lease, request, "SENT_TO_BANK", result.action);
    return { kind: "bank", userInputLink: result.userInputLink };
  }
  const at = now();
  const consentExpiresAt = result.consentExpiresAt ?? addDays(at, CONSENT_DAYS);
  try {
    await completeLeaseWithEvent(
      db(),
      lease,
      {
        ...sealedTokenColumns({ accessToken: result.accessToken, refreshToken: result.refreshToken }),
        accessTokenExpiresAt: new Date(at.getTime() + (result.expiresIn ?? 3600) * 1000),
        consentExpiresAt,
        status: "ACTIVE",
        statusReason: null,
      },
      { type: "EXTENDED", reconfirmationId: request.reconfirmationId, consentExpiresAt },
    );
  } catch (error) {
    if (!(error instanceof LostLeaseError)) throw error;
    // TrueLayer extended, but our lease lapsed first: its answer cannot be stored safely.
    await db().$transaction((tx) =>
      appendConnectionEvent(tx, {
        connectionId: request.connectionId,
        type: "FAILED",
        reason: "outcome_unknown",
        reconfirmationId: request.reconfirmationId,
      }),
    );
    return { kind: "failed", reason: "outcome_unknown" };
  }
  return { kind: "extended", consentExpiresAt };
}
