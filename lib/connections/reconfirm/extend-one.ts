import "server-only";
import { checkRenewalFailureRateSoon } from "@/lib/alerts/renewal-rate";
import { now } from "@/lib/clock";
import { failureFields, log } from "@/lib/log";
import { alertOperator } from "@/lib/operator-alert";
import { type ExtendResult, type ExtendUser, isTrueLayerError, type TrueLayerError } from "@/lib/truelayer";
import { renewedUntil } from "../consent-state";
import {
  type BalanceReadClaim,
  type Claimed,
  commit,
  type HeldRow,
  holdOrWait,
  LostLeaseError,
  release,
  type Transition,
} from "../custody";
import { newTokensFrom } from "../custody/revoke-grant";
import { openSecret } from "../sealed-tokens";
import { callbackUrl, truelayer } from "../truelayer-client";

// A result under the same wording within this window is shown again instead of calling TrueLayer twice.
export const RECENT_RESULT_MS = 10 * 60 * 1000;

// Stored on FAILED events and mapped to words in results.ts.
export const FAIL_REASONS = [
  "consent_screen_not_reviewed",
  "reconnect_required",
  "outcome_unknown",
  "grant_lost",
  "no_refresh_token",
  "details_rejected",
  "bank_unavailable",
  "client_rejected",
  // The same, when the alert could not be recorded: the words then do not say our team knows.
  "client_rejected_unalerted",
  "extend_failed",
] as const;
export type FailReason = (typeof FAIL_REASONS)[number];

export type ExtendOutcome =
  /** `read`: the balance read claimed in the statement that stored the answer (request.claimRead). */
  (
    | { kind: "extended"; consentExpiresAt: Date; read?: BalanceReadClaim }
    | { kind: "bank"; userInputLink?: string }
    | { kind: "in_progress" }
    | { kind: "failed"; reason: FailReason }
  ) & {
    handledIn?: string;
  };

export type ExtendRequest = {
  connectionId: string;
  userId: string;
  reconfirmationId: string;
  copyHash: string;
  // From extendUserFor (extend-user.ts), where the unsettled choice of `user.id` is made.
  user: ExtendUser;
  freshLink?: boolean;
  /** Starts a trip of this browser's (its secret in a cookie, its hash returned) when the bank must be visited. */
  startTrip?: () => Promise<string>;
  // If our claim is the only write since this version, the caller's "no earlier result" still holds.
  checkedAtVersion?: number;
  claimed?: Claimed | null;
  /** Claims the new balances' read in the statement that stores the answer (balances/refresh.ts reads it). */
  claimRead?: { unattended: boolean };
};

function failReason(error: TrueLayerError): FailReason {
  if (error.outcomeUnknown) return "outcome_unknown";
  // Our credentials, not the user's token: it is kept, and a later try may work (docs/decisions/021).
  if (error.clientRejected) return "client_rejected";
  // 403 unauthorized_client: extend is not enabled for our client; the way out is the same.
  if (error.consentScreenNotReviewed || error.code === "unauthorized_client") {
    return "consent_screen_not_reviewed";
  }
  if (error.reconnectRequired) return "reconnect_required";
  if (error.fieldErrors) return "details_rejected";
  if (error.retryable) return "bank_unavailable";
  return "extend_failed";
}

const RESULTS = new Set(["EXTENDED", "COMPLETED_AT_BANK", "SENT_TO_BANK"]);

// What the row records of a submission under the same wording: within the window, or (a failure) since this request
// arrived, so a double click reports the first click's outcome instead of calling TrueLayer twice.
function recordedResult(row: HeldRow, request: ExtendRequest, arrivedAt: Date): ExtendOutcome | undefined {
  if (!row.lastResult || !row.lastResultAt || row.lastCopyHash !== request.copyHash) return undefined;
  const recent = row.lastResultAt.getTime() >= arrivedAt.getTime() - RECENT_RESULT_MS;
  const handledIn = row.lastReconfirmationId ?? undefined;
  if (row.lastResult === "FAILED") {
    if (row.lastResultAt < arrivedAt) return undefined;
    const reason = FAIL_REASONS.find((r) => r === row.lastResultReason) ?? "extend_failed";
    return { kind: "failed", reason, handledIn };
  }
  if (!recent || !RESULTS.has(row.lastResult)) return undefined;
  if (row.lastResult === "SENT_TO_BANK") return request.freshLink ? undefined : { kind: "bank", handledIn };
  return { kind: "extended", consentExpiresAt: row.consentExpiresAt, handledIn };
}

function failure(held: Claimed, request: ExtendRequest, reason: FailReason): Transition {
  const base = { kind: "failed" as const, reason, reconfirmationId: request.reconfirmationId };
  // An answer we never got may have spent the refresh token: the next try uses it again (TrueLayer says to avoid a
  // new connection), and only an invalid_grant then means the grant is out of our reach.
  if (reason === "outcome_unknown") return { ...base, outcomeUnknown: true };
  if (reason === "reconnect_required" && held.outcomeUnknownAt)
    return { ...base, reason: "grant_lost", grantLost: true };
  if (reason === "reconnect_required" || reason === "no_refresh_token") return { ...base, needsBank: true };
  return base;
}

export async function extendOne(request: ExtendRequest): Promise<ExtendOutcome> {
  const arrivedAt = now();
  let held = request.claimed ?? null;
  if (!held) {
    const got = await holdOrWait(request.connectionId, request.userId, "extend");
    if ("missing" in got) return { kind: "failed", reason: "reconnect_required" };
    if ("busy" in got) return { kind: "in_progress" };
    held = got.held;
  }
  const untouched = request.checkedAtVersion !== undefined && held.version === request.checkedAtVersion + 1;
  const previous = untouched ? undefined : recordedResult(held, request, arrivedAt);
  if (previous) {
    await release(held);
    return previous;
  }
  // Stopped while this request waited for the lease: never bring it back to life.
  if (held.status === "REVOKED") {
    await commit(held, {
      kind: "failed",
      reason: "reconnect_required",
      reconfirmationId: request.reconfirmationId,
    });
    return { kind: "failed", reason: "reconnect_required" };
  }
  if (!held.refreshTokenSealed) {
    await commit(held, failure(held, request, "no_refresh_token"));
    return { kind: "failed", reason: "no_refresh_token" };
  }

  let result: ExtendResult;
  try {
    result = await truelayer().extendConnection({
      refreshToken: openSecret(held.refreshTokenSealed),
      redirectUri: callbackUrl(),
      user: request.user,
    });
  } catch (error) {
    const ids = {
      userId: request.userId,
      connectionId: request.connectionId,
      reconfirmationId: request.reconfirmationId,
    };
    if (!isTrueLayerError(error)) {
      log.error("renewal.extend_failed", { ...ids, reason: "extend_failed", ...failureFields(error) });
      await commit(held, failure(held, request, "extend_failed"));
      await checkRenewalFailureRateSoon();
      throw error;
    }
    let reason = failReason(error);
    // The one line for this failure, whatever its kind; an operator alert is a row, not another line.
    const ours = reason === "client_rejected" || reason === "consent_screen_not_reviewed";
    log[ours ? "error" : "warn"]("renewal.extend_failed", { ...ids, reason, ...failureFields(error) });
    if (reason === "client_rejected") {
      const alerted = await alertOperator(
        "credentials_refused",
        "TrueLayer refused our client credentials on extend",
      );
      if (!alerted) reason = "client_rejected_unalerted";
    } else if (reason === "consent_screen_not_reviewed")
      await alertOperator(
        "consent_screen_not_reviewed",
        "TrueLayer refused extend (consent screen not reviewed, or extend not enabled for our client): every renewal sends the user back to their bank",
      );
    const transition = failure(held, request, reason);
    await commit(held, transition);
    await checkRenewalFailureRateSoon();
    return { kind: "failed", reason: (transition as { reason: FailReason }).reason };
  }

  if (result.action !== "no_action_needed") {
    await commit(held, {
      kind: "sent_to_bank",
      reconfirmationId: request.reconfirmationId,
      tripSecretHash: request.startTrip ? await request.startTrip() : null,
      action: result.action,
    });
    return { kind: "bank", userInputLink: result.userInputLink };
  }
  const consentExpiresAt = renewedUntil(result.consentExpiresAt, now(), held.consentExpiresAt);
  let read: BalanceReadClaim | undefined;
  try {
    ({ read } = await commit(
      held,
      {
        kind: "extended",
        tokens: newTokensFrom(result, held.refreshTokenSealed),
        consentExpiresAt,
        reconfirmationId: request.reconfirmationId,
      },
      { claimRead: request.claimRead },
    ));
  } catch (error) {
    // TrueLayer extended, but the row was stopped (or our lease lapsed) first: commit queued the grant's new tokens.
    if (!(error instanceof LostLeaseError)) throw error;
    return { kind: "failed", reason: "outcome_unknown" };
  }
  return read ? { kind: "extended", consentExpiresAt, read } : { kind: "extended", consentExpiresAt };
}
