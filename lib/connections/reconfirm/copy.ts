import { createHash } from "node:crypto";
import { type Brand, brand, localHref, TRUELAYER_FIRM } from "@/lib/brand";
import { addDays } from "@/lib/clock";
import { formatDate } from "@/lib/format";
import { CONSENT_DAYS } from "../consent-state";
import { describeScopes } from "../describe";

export const TRUELAYER_TERMS_URL = "https://truelayer.com/legal/enduser_tos/";
export const TRUELAYER_PRIVACY_URL = "https://truelayer.com/legal/privacy/";

export type CopyConnection = {
  id: string;
  providerName: string;
  scopes: string[];
  accounts: { displayName: string; maskedNumber: string | null }[];
};

export type CopyBank = { connectionId: string; bankName: string; accounts: string[]; data: string[] };

/** Everything the user reads before saying yes; its hash is what a Reconfirmation records. */
export type ReconfirmCopy = {
  heading: string;
  summary: string;
  banks: CopyBank[];
  points: { title: string; body: string }[];
  links: { label: string; href: string }[];
  newExpiry: string;
};

function bankOf(connection: CopyConnection): CopyBank {
  const accounts = connection.accounts
    .map((a) => (a.maskedNumber ? `${a.displayName} ${a.maskedNumber}` : a.displayName))
    .sort();
  return {
    connectionId: connection.id,
    bankName: connection.providerName,
    accounts,
    data: describeScopes(connection.scopes),
  };
}

/** A pure function of what is shown and the day: same input, same words, same hash. */
export function reconfirmCopy(
  connections: CopyConnection[],
  today: Date,
  names: Brand = brand(),
): ReconfirmCopy {
  const app = names.appName;
  const banks = connections
    .map(bankOf)
    .sort((a, b) => a.bankName.localeCompare(b.bankName) || a.connectionId.localeCompare(b.connectionId));
  const newExpiry = formatDate(addDays(today, CONSENT_DAYS));
  const only = banks.length === 1 ? banks[0] : undefined;
  return {
    heading: only ? `Keep sharing with ${only.bankName}?` : `Keep sharing with ${banks.length} banks?`,
    summary: `Say yes and ${app} can keep seeing the data below until ${newExpiry}.`,
    banks,
    points: [
      {
        title: "Who accesses your data",
        body: `${TRUELAYER_FIRM.name}, authorised by the Financial Conduct Authority (FCA) with firm reference number ${TRUELAYER_FIRM.frn}, accesses your bank data on ${app}'s behalf.`,
      },
      { title: "Why", body: names.sharingPurpose },
      { title: "Who else sees it", body: "Nobody else. We never sell your data." },
      {
        title: "Until when",
        body: `Until ${newExpiry}, ${CONSENT_DAYS} days from today. We'll remind you before then.`,
      },
      { title: "What changes", body: "Nothing else changes: the same bank, accounts and data as now." },
      {
        title: "Stopping",
        body: `You can stop sharing at any time, here in ${app} or at your bank.`,
      },
    ],
    links: [
      // The dashboard's Stop sharing control, on the bank's own card when there is one bank.
      {
        label: "How to stop sharing",
        href: only ? `/connections#stop-${only.connectionId}` : "/connections",
      },
      { label: `${app}'s privacy notice`, href: localHref(names.privacyUrl) },
      { label: `${app}'s terms`, href: localHref(names.termsUrl) },
      { label: "TrueLayer's end-user terms", href: TRUELAYER_TERMS_URL },
      { label: "TrueLayer's privacy policy", href: TRUELAYER_PRIVACY_URL },
    ],
    newExpiry,
  };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function copyHash(copy: ReconfirmCopy): string {
  return createHash("sha256").update(canonical(copy)).digest("hex");
}
