import type { ConnectionStatus } from "@prisma/client";

export const EXPIRING_SOON_DAYS = 14;
export const CONSENT_DAYS = 90;

export type ConsentState = "active" | "expiring" | "lapsed" | "needs_bank" | "revoked";

// The one place that turns stored facts into what a user sees (dashboard, banner, reminders).
export function consentState(
  connection: { status: ConnectionStatus; consentExpiresAt: Date },
  now: Date,
): ConsentState {
  if (connection.status === "REVOKED") return "revoked";
  if (connection.status === "NEEDS_BANK_AUTH") return "needs_bank";
  const msLeft = connection.consentExpiresAt.getTime() - now.getTime();
  if (msLeft <= 0) return "lapsed";
  if (msLeft <= EXPIRING_SOON_DAYS * 24 * 60 * 60 * 1000) return "expiring";
  return "active";
}

/** /me may lag a renewal (per an integrator): never before renewal + 90 days, nor before what was stored. */
export function renewedUntil(reported: Date | undefined, renewedAt: Date, stored?: Date): Date {
  const floor = renewedAt.getTime() + CONSENT_DAYS * 24 * 60 * 60 * 1000;
  return new Date(Math.max(reported?.getTime() ?? 0, floor, stored?.getTime() ?? 0));
}

/** Renewed (or reconnected) within the last hour and not stopped: what "done" pages and other tabs show. */
export function justRenewed(c: { status: ConnectionStatus; renewedAt: Date | null }, at: Date): boolean {
  return (
    c.status !== "REVOKED" && c.renewedAt !== null && at.getTime() - c.renewedAt.getTime() < 60 * 60 * 1000
  );
}

export function isDue(state: ConsentState): boolean {
  return state === "expiring" || state === "lapsed" || state === "needs_bank";
}
