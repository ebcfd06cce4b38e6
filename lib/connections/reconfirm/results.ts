import { brand } from "@/lib/brand";
import { consentState, isDue } from "../consent-state";
import { bankList, RESULT_HEADLINES, sharingContinues } from "../status-words";
import type { ReconfirmationResults } from "../store/reconfirmations";

export type BankResultStatus = "extended" | "at_bank" | "in_progress" | "reconnect" | "failed" | "stopped";

export type BankResult = {
  connectionId: string;
  providerId: string;
  bankName: string;
  logoUrl: string | null;
  status: BankResultStatus;
  /** Key point first: "Mock UK Bank: sharing continues until 14 February 2027". */
  headline: string;
  detail?: string;
};

const reconnectDetail = (app: string): Record<string, string> => ({
  consent_screen_not_reviewed: `Renewing in one step isn't switched on for ${app} yet, so your bank needs you to connect again through TrueLayer. It takes about a minute and nothing else changes.`,
  reconnect_required:
    "This connection can no longer be renewed without your bank. Connect again to keep sharing; nothing else changes.",
  no_refresh_token:
    "This connection can no longer be renewed without your bank. Connect again to keep sharing; nothing else changes.",
  grant_lost:
    "An earlier answer from TrueLayer never reached us, so we can no longer reach this access. To be sure nothing keeps being shared, stop it at your bank too; then connect again if you want to keep sharing.",
});

const FAILED_DETAIL: Record<string, string> = {
  outcome_unknown:
    "We lost contact with TrueLayer before it answered, so we can't tell whether renewing worked. Nothing was lost, and you don't need to connect again: please try renewing again in a few minutes.",
  details_rejected:
    "Your bank didn't accept your name or email address. Check them in Settings, then try again.",
  bank_unavailable:
    "We couldn't reach TrueLayer just now. Nothing has changed; please try again in a few minutes.",
  client_rejected:
    "TrueLayer didn't accept our request just now, so nothing was renewed and your access is unchanged. This is on our side and our team has been alerted; please try again later.",
  client_rejected_unalerted:
    "TrueLayer didn't accept our request just now, so nothing was renewed and your access is unchanged. This is on our side; please try again later.",
};
const FAILED_FALLBACK = "Something went wrong while renewing. Nothing has changed; please try again later.";

type Item = ReconfirmationResults["items"][number]["connection"];

function resultFor(
  connection: Item,
  at: Date,
): Omit<BankResult, "connectionId" | "providerId" | "bankName" | "logoUrl"> {
  const bank = connection.providerName;
  const [event] = connection.events;
  const continues = (date: Date) => ({
    status: "extended" as const,
    headline: sharingContinues(bank, date),
  });
  // What is true now beats what this reconfirmation recorded: stopped since, or renewed in another tab.
  if (connection.status === "REVOKED") {
    return {
      status: "stopped",
      headline: RESULT_HEADLINES.stopped(bank),
      detail: "Nothing more is shared from this bank.",
    };
  }
  const done = event?.type === "EXTENDED" || event?.type === "COMPLETED_AT_BANK";
  if (!done && connection.renewedElsewhere) {
    return {
      ...continues(connection.renewedElsewhere.consentExpiresAt ?? connection.consentExpiresAt),
      detail: "Renewed in another tab or window, or on a later try. There is nothing more to do.",
    };
  }
  switch (event?.type) {
    case "EXTENDED":
    case "COMPLETED_AT_BANK":
      return continues(event.consentExpiresAt ?? connection.consentExpiresAt);
    case "SENT_TO_BANK":
      return {
        status: "at_bank",
        headline: RESULT_HEADLINES.at_bank(bank),
        detail: `We'll take you to ${bank} to confirm it's you, then bring you back here.`,
      };
    case "FAILED": {
      const reconnect = reconnectDetail(brand().appName)[event.reason ?? ""];
      if (reconnect)
        return { status: "reconnect", headline: RESULT_HEADLINES.reconnect(bank), detail: reconnect };
      return {
        status: "failed",
        headline: (event.reason === "outcome_unknown" ? RESULT_HEADLINES.unknown : RESULT_HEADLINES.failed)(
          bank,
        ),
        detail: FAILED_DETAIL[event.reason ?? ""] ?? FAILED_FALLBACK,
      };
    }
  }
  // Nothing recorded under this reconfirmation: another request was handling it at the time.
  if (connection.leaseExpiresAt && connection.leaseExpiresAt > at) {
    return {
      status: "in_progress",
      headline: RESULT_HEADLINES.in_progress(bank),
      detail: "Refresh this page in a moment.",
    };
  }
  if (!isDue(consentState(connection, at))) return continues(connection.consentExpiresAt);
  return { status: "failed", headline: RESULT_HEADLINES.failed(bank), detail: FAILED_FALLBACK };
}

export function bankResults(reconfirmation: ReconfirmationResults, at: Date): BankResult[] {
  return reconfirmation.items.map(({ connection }) => ({
    connectionId: connection.id,
    providerId: connection.providerId,
    bankName: connection.providerName,
    logoUrl: connection.providerLogoUrl,
    ...resultFor(connection, at),
  }));
}

export function progressOf(results: BankResult[]) {
  return {
    done: results.filter((r) => r.status === "extended").length,
    total: results.length,
    next: results.find((r) => r.status === "at_bank"),
  };
}

export function resultsHeading(results: BankResult[]): string {
  const { done, total } = progressOf(results);
  if (total === 1) return results[0]?.headline ?? "Your bank";
  if (done === total) return `Done: sharing continues from ${bankList(results.map((r) => r.bankName))}`;
  return `${done} of ${total} banks done`;
}
