import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ExtendOutcome, FailReason } from "./extend";

/** Past TrueLayer's 10 s timeout: a live request has answered by then; a crashed one is left to its lease. */
export const WAIT_FOR_OTHER_MS = 15_000;
const POLL_MS = 100;

const FAIL_REASONS: readonly FailReason[] = [
  "consent_screen_not_reviewed",
  "reconnect_required",
  "outcome_unknown",
  "no_refresh_token",
  "details_rejected",
  "bank_unavailable",
  "extend_failed",
];

async function leaseReleased(connectionId: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const row = await db().connection.findUnique({
      where: { id: connectionId },
      select: { leaseExpiresAt: true },
    });
    if (!row?.leaseExpiresAt || row.leaseExpiresAt <= now()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/**
 * Another request holds this connection (a double click, a second tab): wait for it to finish and
 * report its result under the same wording, so every submitter sees the one outcome and TrueLayer is
 * called once. Undefined when it is still running after the wait, or left no result (then the caller
 * may claim the connection itself: a crashed request's lease has expired).
 */
export async function outcomeOfOtherRequest(
  connectionId: string,
  copyHash: string,
  since: Date,
  waitMs = WAIT_FOR_OTHER_MS,
): Promise<ExtendOutcome | undefined> {
  if (!(await leaseReleased(connectionId, waitMs))) return undefined;
  const event = await db().connectionEvent.findFirst({
    where: {
      connectionId,
      type: { in: ["EXTENDED", "COMPLETED_AT_BANK", "SENT_TO_BANK", "FAILED"] },
      createdAt: { gte: since },
      reconfirmation: { copyHash },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { type: true, reason: true, consentExpiresAt: true, reconfirmationId: true },
  });
  if (!event) return undefined;
  const handledIn = event.reconfirmationId ?? undefined;
  if (event.type === "SENT_TO_BANK") return { kind: "bank", handledIn };
  if (event.type === "FAILED") {
    const reason = FAIL_REASONS.find((r) => r === event.reason) ?? "extend_failed";
    return { kind: "failed", reason, handledIn };
  }
  return { kind: "extended", consentExpiresAt: event.consentExpiresAt ?? now(), handledIn };
}
