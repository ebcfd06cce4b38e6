import type { ConnectionStatus } from "@prisma/client";
import { LAPSED, THRESHOLDS, thresholdFor } from "./thresholds";

const DAY_MS = 24 * 60 * 60 * 1000;

export type NextReminder = { kind: "next_run" } | { kind: "on"; at: Date } | { kind: "none" };

/** Of the run's thresholds: one due and not yet `sent` this period goes with the next run; else the next ahead. */
export function nextReminder(
  connection: { status: ConnectionStatus; consentExpiresAt: Date },
  at: Date,
  sent: readonly number[],
): NextReminder {
  if (connection.status === "REVOKED") return { kind: "none" };
  const due = thresholdFor(connection, at);
  if (due !== null && !sent.includes(due)) return { kind: "next_run" };
  for (const days of [...THRESHOLDS, LAPSED]) {
    const when = new Date(connection.consentExpiresAt.getTime() - days * DAY_MS);
    if (when > at) return { kind: "on", at: when };
  }
  return { kind: "none" };
}
