import "server-only";
import { brand } from "@/lib/brand";
import { TrueLayerError, userMessageFor } from "@/lib/truelayer";
import type { ExchangeOutcome } from "../store/exchanges";

export type ResultView =
  | { kind: "connected" | "reconnected" }
  | { kind: "pending" }
  | { kind: "parked" }
  | { kind: "failed"; code: string; message: string }
  | { kind: "extend" };

// A code refused at the exchange (TL error codes: wrong, used, or over 5 minutes old): a fresh link cures it.
export const CODE_REJECTED_WORDS =
  "The link from your bank had already been used or had expired, so nothing was saved. Please start again.";

const OWN_WORDS: Record<string, string> = {
  get outcome_unknown() {
    return `We lost contact with TrueLayer before it answered, so nothing was saved here. If your bank now lists ${brand().appName} as connected, you can end that at your bank. Please connect again.`;
  },
  reconnect_required:
    "Your bank's approval ran out before we could use it. Nothing was saved. Please connect again.",
  invalid_grant: CODE_REJECTED_WORDS,
  invalid_authorization_code: CODE_REJECTED_WORDS,
  invalid_client:
    "TrueLayer didn't accept our request just now, so nothing was saved. This is on our side and our team has been alerted; please try again later.",
  invalid_client_unalerted:
    "TrueLayer didn't accept our request just now, so nothing was saved. This is on our side; please try again later.",
  busy: "Another change to this bank connection was in progress, so nothing was saved. Please connect again.",
  not_saved: "Something went wrong on our side and nothing was saved. Please connect again.",
  get not_owner() {
    return `This bank connection was started from a different ${brand().appName} account, so it was not added and nothing your bank sent was kept.`;
  },
  expired:
    "Nobody signed in to finish this bank connection within 30 minutes, so nothing was added and nothing your bank sent was kept. Please connect again.",
  unvouched:
    "We couldn't tell that this browser started connecting your bank, so nothing was saved. Please connect again.",
};

const RETRYABLE = /^(internal_error|rate_limited|timeout|network|malformed_response|http_5\d\d)$/;

export function connectFailureMessage(code: string): string {
  const own = OWN_WORDS[code];
  if (own) return own;
  const message = userMessageFor(
    new TrueLayerError({ operation: "exchangeCode", code, retryable: RETRYABLE.test(code) }),
  );
  return `${message} Nothing was saved.`;
}

// Only a return that brought a code gets here (a cancel or a bank error goes elsewhere): the person did approve.
const RETURN_WORDS: Record<string, string> = {
  code_rejected:
    "The link from your bank had already been used or had expired, so nothing changed. Please start again from your connections.",
  exchangeCode_outcome_unknown:
    "You approved at your bank, but we lost contact with TrueLayer before it answered, so we can't tell whether the renewal went through. Your connection here keeps its old end date. Please renew again from your connections; if it did go through, we may ask you to connect this bank again.",
  connection_busy:
    "You approved at your bank, but another change to this connection was in progress, so we couldn't finish renewing it. It keeps its old end date. Please try again from your connections.",
};

/** What a failed return from the bank after extend says; the connection's end date has not moved (custody). */
export function bankReturnFailureWords(reason: string): string {
  return (
    RETURN_WORDS[reason] ??
    "You approved at your bank, but we couldn't finish renewing here, so your connection keeps its old end date. Please try again from your connections."
  );
}

export function resultView(outcome: ExchangeOutcome): ResultView {
  if (outcome.status === "parked") return { kind: "parked" };
  if (outcome.flow === "extend") return { kind: "extend" };
  if (outcome.status === "connected" || outcome.status === "reconnected") return { kind: outcome.status };
  if (outcome.status === "failed") {
    return { kind: "failed", code: outcome.reason, message: connectFailureMessage(outcome.reason) };
  }
  return { kind: "pending" };
}
