import { type Brand, brand, localHref } from "@/lib/brand";
import { addDays } from "@/lib/clock";
import {
  type CopyBank,
  type ReconfirmCopy,
  renderWording,
  WORDING_TEMPLATE,
  type WordingParameters,
  wordingHash,
} from "@/lib/consent/wording";
import { formatDate } from "@/lib/format";
import { CONSENT_DAYS } from "../consent-state";

export { TRUELAYER_PRIVACY_URL, TRUELAYER_TERMS_URL } from "@/lib/consent/wording";
export type { CopyBank, ReconfirmCopy };

export type CopyConnection = {
  id: string;
  providerName: string;
  scopes: string[];
  accounts: { displayName: string; maskedNumber: string | null; truelayerAccountId?: string }[];
};

const accountLabel = (a: CopyConnection["accounts"][number]) =>
  a.maskedNumber ? `${a.displayName} ${a.maskedNumber}` : a.displayName;

/** What the current template is filled with for these connections on this day, in the order shown. */
export function wordingParameters(
  connections: CopyConnection[],
  today: Date,
  names: Brand = brand(),
): WordingParameters {
  const banks = connections
    .map((c) => ({
      connectionId: c.id,
      bankName: c.providerName,
      scopes: [...c.scopes],
      accounts: [...c.accounts]
        .sort((a, b) => (accountLabel(a) < accountLabel(b) ? -1 : accountLabel(a) > accountLabel(b) ? 1 : 0))
        .map((a) => ({ displayName: a.displayName, maskedNumber: a.maskedNumber })),
    }))
    .sort((a, b) => a.bankName.localeCompare(b.bankName) || a.connectionId.localeCompare(b.connectionId));
  return {
    newExpiry: formatDate(addDays(today, CONSENT_DAYS)),
    consentDays: CONSENT_DAYS,
    brand: {
      appName: names.appName,
      sharingPurpose: names.sharingPurpose,
      privacyHref: localHref(names.privacyUrl),
      termsHref: localHref(names.termsUrl),
    },
    banks,
  };
}

/** A pure function of what is shown and the day: same input, same words, same hash. */
export function reconfirmCopy(
  connections: CopyConnection[],
  today: Date,
  names: Brand = brand(),
): ReconfirmCopy {
  return renderWording(WORDING_TEMPLATE, wordingParameters(connections, today, names));
}

export function copyHash(copy: ReconfirmCopy): string {
  return wordingHash(copy);
}
