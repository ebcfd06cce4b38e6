import type { ConnectionStatus } from "@prisma/client";
import { consentState, isDue } from "@/lib/connections/consent-state";

/** Days before the end of consent at which a reminder goes out; 0 is "access has lapsed". */
export const THRESHOLDS = [14, 7, 1] as const;
export const LAPSED = 0;
/** Connections that lapsed longer ago than this get no "lapsed" mail (e.g. on the first run). */
export const LAPSED_LOOKBACK_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

// "At or under" each threshold, so a missed daily run still sends late, and only the tightest one.
export function thresholdFor(
  connection: { status: ConnectionStatus; consentExpiresAt: Date },
  at: Date,
): number | null {
  if (!isDue(consentState(connection, at))) return null;
  const msLeft = connection.consentExpiresAt.getTime() - at.getTime();
  if (msLeft <= 0) return msLeft > -LAPSED_LOOKBACK_DAYS * DAY_MS ? LAPSED : null;
  let reached: number | null = null;
  for (const days of THRESHOLDS) if (msLeft <= days * DAY_MS) reached = days;
  return reached;
}
