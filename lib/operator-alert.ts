import "server-only";
import { redact } from "@/lib/truelayer";

/** Something only the operator can fix (our TrueLayer credentials, say): one greppable log line, never a secret. */
export function alertOperator(what: string, error?: unknown): void {
  console.error(`[operator-alert] ${what}`, error === undefined ? "" : redact(error));
}
