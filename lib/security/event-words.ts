import type { SecurityEventKind } from "@prisma/client";

// What each event means, in the words Settings shows its owner (and operators see beside the code).
const WORDS: Record<SecurityEventKind, string> = {
  SIGN_IN: "Signed in",
  SIGN_IN_FAILED: "A sign-in link for your address did not work",
  SIGN_IN_REFUSED: "A sign-in attempt for your address was refused",
  SIGN_OUT_EVERYWHERE: "Signed out of every device",
  DATA_DOWNLOADED: "Your data was downloaded",
  ACCOUNT_DELETED: "An account was deleted",
  AUDIT_EXPORTED: "Consent audit exported",
  OPERATOR_ROLE_CHANGED: "Operator role changed",
  OPERATOR_PAGE_VIEWED: "Operator page opened",
  BANK_RETURN_REFUSED: "A return from a bank was refused and nothing was added",
  REVOKE_FAILED: "Stopping a bank's access failed and will be retried",
};

const DETAIL: Record<string, string> = {
  link_asked_here: "with a link asked for in the same browser",
  link_asked_elsewhere: "with a link asked for on another device",
  asked_elsewhere_unconfirmed: "the link was asked for on another device",
  cross_site: "it came from another site",
  granted: "granted",
  removed: "removed",
  not_this_connection: "it was not for this connection",
  unvouched: "it came back to a browser that did not start it",
  unknown_state: "we never sent anyone to the bank with that link",
};

export function securityEventInWords(kind: SecurityEventKind, reason: string | null): string {
  const detail = reason ? DETAIL[reason] : undefined;
  return detail ? `${WORDS[kind]}: ${detail}` : WORDS[kind];
}
