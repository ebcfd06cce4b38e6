import "server-only";
import { TrueLayerError, userMessageFor } from "@/lib/truelayer";

// What the result page says for a finished code exchange. Outcomes are stored on CodeExchange as
// "connect:connected", "connect:reconnected", "connect:pending" or "connect:failed:<our code>".

export type ExchangeOutcome =
  | { kind: "connected" | "reconnected" }
  | { kind: "pending" }
  | { kind: "parked" }
  | { kind: "failed"; code: string; message: string }
  | { kind: "extend" };

const OWN_WORDS: Record<string, string> = {
  outcome_unknown:
    "We couldn't confirm whether your bank finished connecting, so nothing was saved here. Please connect again.",
  reconnect_required:
    "Your bank's approval ran out before we could use it. Nothing was saved. Please connect again.",
  invalid_grant:
    "Your bank's approval ran out before we could use it. Nothing was saved. Please connect again.",
  busy: "Another change to this bank connection was in progress, so nothing was saved. Please connect again.",
  not_saved: "Something went wrong on our side and nothing was saved. Please connect again.",
  not_owner:
    "This bank connection was started from a different Reconsent account, so it was not added and nothing your bank sent was kept.",
  expired:
    "Nobody signed in to finish this bank connection within 30 minutes, so nothing was added and nothing your bank sent was kept. Please connect again.",
  unvouched:
    "We couldn't tell that this browser started connecting your bank, so nothing was saved. Please connect again.",
};

const RETRYABLE = /^(internal_error|rate_limited|timeout|network|malformed_response|http_5\d\d)$/;

/** Plain English for a failed connect, with what to do next. */
export function connectFailureMessage(code: string): string {
  const own = OWN_WORDS[code];
  if (own) return own;
  const message = userMessageFor(
    new TrueLayerError({ operation: "exchangeCode", code, retryable: RETRYABLE.test(code) }),
  );
  return `${message} Nothing was saved.`;
}

export function parseOutcome(outcome: string): ExchangeOutcome {
  if (outcome.endsWith(":parked")) return { kind: "parked" };
  if (outcome.startsWith("extend:")) return { kind: "extend" };
  if (outcome === "connect:connected") return { kind: "connected" };
  if (outcome === "connect:reconnected") return { kind: "reconnected" };
  if (outcome.startsWith("connect:failed:")) {
    const code = outcome.slice("connect:failed:".length);
    return { kind: "failed", code, message: connectFailureMessage(code) };
  }
  return { kind: "pending" };
}
