import { TRUELAYER_FIRM } from "@/lib/brand";
import { CLUSTERS } from "@/lib/connections/describe";
import { sha256Hex } from "@/lib/crypto/sha256";

// A template stored once per version (ConsentWording), filled per reconfirmation; any change to what it says needs a
// new version (wording.test.ts pins it).

export const TRUELAYER_TERMS_URL = "https://truelayer.com/legal/enduser_tos/";
export const TRUELAYER_PRIVACY_URL = "https://truelayer.com/legal/privacy/";

export type WordingTemplate = {
  headingOne: string;
  headingMany: string;
  summary: string;
  points: { title: string; body: string }[];
  links: { label: string; href: string }[];
  accountWithNumber: string;
  scopes: { scope: string; words: string }[];
};

// 2: the deployer's names and policies, TrueLayer's firm number, "How to stop sharing" (issue 18). 3: "Keep sharing
// from" (issue 17). 4: the same words on a changed screen (issue 29), so the review pack and records tell them apart.
export const WORDING_VERSION = 4;

export const WORDING_TEMPLATE: WordingTemplate = {
  headingOne: "Keep sharing from {bank}?",
  headingMany: "Keep sharing from {count} banks?",
  summary: "Say yes and {app} can keep seeing the data below until {newExpiry}.",
  points: [
    {
      title: "Who accesses your data",
      body: `${TRUELAYER_FIRM.name}, authorised by the Financial Conduct Authority (FCA) with firm reference number ${TRUELAYER_FIRM.frn}, accesses your bank data on {app}'s behalf.`,
    },
    { title: "Why", body: "{purpose}" },
    { title: "Who else sees it", body: "Nobody else. We never sell your data." },
    {
      title: "Until when",
      body: "Until {newExpiry}, {consentDays} days from today. We'll remind you before then.",
    },
    { title: "What changes", body: "Nothing else changes: the same bank, accounts and data as now." },
    { title: "Stopping", body: "You can stop sharing at any time, here in {app} or at your bank." },
  ],
  links: [
    // The dashboard's Stop sharing control, on the bank's own card when there is one bank.
    { label: "How to stop sharing", href: "{stopHref}" },
    { label: "{app}'s privacy notice", href: "{privacyHref}" },
    { label: "{app}'s terms", href: "{termsHref}" },
    { label: "TrueLayer's end-user terms", href: TRUELAYER_TERMS_URL },
    { label: "TrueLayer's privacy policy", href: TRUELAYER_PRIVACY_URL },
  ],
  accountWithNumber: "{name} {number}",
  scopes: Object.entries(CLUSTERS).map(([scope, words]) => ({ scope, words })),
};

export type WordingBrand = {
  appName: string;
  sharingPurpose: string;
  privacyHref: string;
  termsHref: string;
};

export type WordingAccount = { displayName: string; maskedNumber: string | null };
/** Already in the order shown: rendering never sorts, so a rebuild elsewhere reads the same. */
export type WordingParameters = {
  newExpiry: string;
  consentDays: number;
  brand: WordingBrand;
  banks: { connectionId: string; bankName: string; scopes: string[]; accounts: WordingAccount[] }[];
};

export type CopyBank = { connectionId: string; bankName: string; accounts: string[]; data: string[] };
export type ReconfirmCopy = {
  heading: string;
  summary: string;
  banks: CopyBank[];
  points: { title: string; body: string }[];
  links: { label: string; href: string }[];
  newExpiry: string;
};

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

export function renderWording(template: WordingTemplate, p: WordingParameters): ReconfirmCopy {
  const only = p.banks.length === 1 ? p.banks[0] : undefined;
  const values = {
    newExpiry: p.newExpiry,
    consentDays: String(p.consentDays),
    app: p.brand.appName,
    purpose: p.brand.sharingPurpose,
    privacyHref: p.brand.privacyHref,
    termsHref: p.brand.termsHref,
    stopHref: only ? `/connections#stop-${only.connectionId}` : "/connections",
  };
  return {
    heading: only
      ? fill(template.headingOne, { bank: only.bankName })
      : fill(template.headingMany, { count: String(p.banks.length) }),
    summary: fill(template.summary, values),
    banks: p.banks.map((b) => ({
      connectionId: b.connectionId,
      bankName: b.bankName,
      accounts: b.accounts.map((a) =>
        a.maskedNumber
          ? fill(template.accountWithNumber, { name: a.displayName, number: a.maskedNumber })
          : a.displayName,
      ),
      data: template.scopes.filter((s) => b.scopes.includes(s.scope)).map((s) => s.words),
    })),
    points: template.points.map((point) => ({ title: point.title, body: fill(point.body, values) })),
    links: template.links.map((link) => ({ label: fill(link.label, values), href: fill(link.href, values) })),
    newExpiry: p.newExpiry,
  };
}

/** JSON with keys sorted at every level: the exact text a wording hash is taken of. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function wordingHash(copy: ReconfirmCopy): string {
  return sha256Hex(canonicalJson(copy));
}

export const templateText = (template: WordingTemplate) => canonicalJson(template);

/** How a reader checks a record without our code: the hash is SHA-256 of the wording's UTF-8 bytes. */
export const HOW_TO_CHECK =
  "Each row's wording is the exact consent text the user was shown, as canonical JSON (keys sorted, no spaces). " +
  "Its SHA-256 over the UTF-8 bytes, in lower-case hex, equals the row's wording_hash: for a JSON Lines row, " +
  'jq -j .wording <<< "$row" | sha256sum (for CSV, hash the wording cell\'s value as parsed, without a trailing newline). ' +
  "Rows whose wording is empty belong to a deleted account: their account names and numbers were removed, so the words " +
  "cannot be rebuilt, but the template version, bank, scopes and hash remain. In CSV, any other cell that would start " +
  "with =, +, - or @ has a leading apostrophe, so a spreadsheet does not run it as a formula.";

/** A record's parameters as stored on Reconfirmation: every bank shown, without its accounts. */
export type StoredParameters = {
  newExpiry: string;
  consentDays: number;
  brand: WordingBrand;
  banks: { connectionId: string; bankName: string; scopes: string[] }[];
};

/** The exact words of a stored record, or null once its accounts went with a deleted user. */
export function rebuildWording(
  template: string,
  parameters: StoredParameters,
  accounts: Record<string, WordingAccount[]> | null,
): ReconfirmCopy | null {
  if (!accounts) return null;
  return renderWording(JSON.parse(template) as WordingTemplate, {
    ...parameters,
    banks: parameters.banks.map((b) => ({
      ...b,
      accounts: (accounts[b.connectionId] ?? []).map((a) => ({
        displayName: a.displayName,
        maskedNumber: a.maskedNumber ?? null,
      })),
    })),
  });
}
