import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { ConnectionEventType } from "@prisma/client";
import { now } from "@/lib/clock";
import { alertOperator } from "@/lib/operator-alert";
import { type ExtendResult, type ExtendUser, isTrueLayerError, type TrueLayerError } from "@/lib/truelayer";
import { renewedUntil } from "../consent-state";
import { appendEvent, latestOutcome, RESULT_EVENTS } from "../store/events";
import {
  type ClaimedConnection,
  type ConnectionColumns,
  claim,
  complete,
  type Lease,
  LostLeaseError,
  leaseEnded,
} from "../store/lease";
import { openSecret, sealedTokenColumns } from "../tokens";
import { callbackUrl, truelayer } from "../truelayer";

// A result under the same wording within this window is shown again instead of calling TrueLayer twice.
export const RECENT_RESULT_MS = 10 * 60 * 1000;

// Stored on FAILED events and mapped to words in results.ts.
export const FAIL_REASONS = [
  "consent_screen_not_reviewed",
  "reconnect_required",
  "outcome_unknown",
  "no_refresh_token",
  "details_rejected",
  "bank_unavailable",
  "client_rejected",
  "extend_failed",
] as const;
export type FailReason = (typeof FAIL_REASONS)[number];

// Past TrueLayer's 10 s timeout: a live request has answered by then; a crashed one is left to its lease.
export const WAIT_FOR_OTHER_MS = 15_000;
const POLL_MS = 100;

export type ExtendOutcome = (
  | { kind: "extended"; consentExpiresAt: Date }
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
  browserHash?: string;
  // If our claim is the only write since this version, the caller's "no earlier result" still holds.
  checkedAtVersion?: number;
  claimed?: ClaimedConnection | null;
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

// Together, so the next claimer sees the event.
function settle(
  lease: Lease,
  request: ExtendRequest,
  type: ConnectionEventType,
  reason: string,
  columns: ConnectionColumns = {},
): Promise<void> {
  return complete(lease, columns, {
    type,
    reason,
    reconfirmationId: request.reconfirmationId,
    browserHash: type === "SENT_TO_BANK" ? request.browserHash : undefined,
  });
}

async function resultUnder(
  request: Pick<ExtendRequest, "connectionId" | "copyHash">,
  since: Date,
  types: readonly ConnectionEventType[],
): Promise<ExtendOutcome | undefined> {
  const event = (
    await latestOutcome([request.connectionId], { types, copyHash: request.copyHash, since })
  ).get(request.connectionId);
  if (!event) return undefined;
  const handledIn = event.reconfirmationId ?? undefined;
  if (event.type === "SENT_TO_BANK") return { kind: "bank", handledIn };
  if (event.type === "FAILED") {
    const reason = FAIL_REASONS.find((r) => r === event.reason) ?? "extend_failed";
    return { kind: "failed", reason, handledIn };
  }
  return { kind: "extended", consentExpiresAt: event.consentExpiresAt ?? now(), handledIn };
}

async function alreadyHandled(request: ExtendRequest): Promise<ExtendOutcome | undefined> {
  const since = new Date(now().getTime() - RECENT_RESULT_MS);
  const previous = await resultUnder(
    request,
    since,
    RESULT_EVENTS.filter((t) => t !== "FAILED"),
  );
  return previous?.kind === "bank" && request.freshLink ? undefined : previous;
}

// A double click or second tab: wait for the other request and report its result, so TrueLayer is called once.
// Undefined when it is still running or left no result (a crashed request's lease has expired).
export async function outcomeOfOtherRequest(
  request: Pick<ExtendRequest, "connectionId" | "copyHash">,
  since: Date,
  waitMs = WAIT_FOR_OTHER_MS,
): Promise<ExtendOutcome | undefined> {
  const deadline = Date.now() + waitMs;
  while (!(await leaseEnded(request.connectionId))) {
    if (Date.now() >= deadline) return undefined;
    await sleep(POLL_MS);
  }
  return resultUnder(request, since, RESULT_EVENTS);
}

// Claim, call TrueLayer with no transaction open, then store the answer with a compare-and-set.
export async function extendOne(request: ExtendRequest): Promise<ExtendOutcome> {
  const arrivedAt = now();
  let lease =
    request.claimed !== undefined
      ? request.claimed
      : await claim(request.connectionId, request.userId, "extend");
  if (!lease) {
    const other = await outcomeOfOtherRequest(request, arrivedAt);
    if (other) return other;
    lease = await claim(request.connectionId, request.userId, "extend");
    if (!lease) return { kind: "in_progress" };
  }
  const untouched = request.checkedAtVersion !== undefined && lease.version === request.checkedAtVersion + 1;
  const previous = untouched ? undefined : await alreadyHandled(request);
  if (previous) {
    await complete(lease, {});
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
    if (reason === "client_rejected")
      alertOperator("TrueLayer refused our client credentials on extend", error);
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
  const consentExpiresAt = renewedUntil(result.consentExpiresAt, at, lease.consentExpiresAt);
  try {
    await complete(
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
    await appendEvent({
      connectionId: request.connectionId,
      type: "FAILED",
      reason: "outcome_unknown",
      reconfirmationId: request.reconfirmationId,
    });
    return { kind: "failed", reason: "outcome_unknown" };
  }
  return { kind: "extended", consentExpiresAt };
}
