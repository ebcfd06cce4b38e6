import "server-only";
import { deliverAlerts } from "@/lib/alerts/deliver";
import type { AlertKind } from "@/lib/alerts/kinds";
import { raiseAlert } from "@/lib/alerts/outbox";

/** Decision 051. True if recorded. `summary` is our own words: never a token, an address or an upstream body. */
export async function alertOperator(kind: AlertKind, summary: string): Promise<boolean> {
  const { raised, first } = await raiseAlert(kind, summary);
  if (first) {
    try {
      await deliverAlerts({ timeoutMs: 3_000, deadline: Date.now() + 3_000 });
    } catch {
      // Left for the scheduled job, which retries every undelivered alert.
    }
  }
  return raised;
}
