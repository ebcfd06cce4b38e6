import { randomInt } from "node:crypto";
import type { Persona } from "./personas";
import type { Provider } from "./providers";
import { newId } from "./secrets";
import type { Account } from "./state";

interface Template {
  accountType: string;
  displayName: string;
  available: number;
  current: number;
  overdraft?: number;
  omit?: Account["omit"];
}

const current: Template = {
  accountType: "TRANSACTION",
  displayName: "Current Account",
  available: 1250.4,
  current: 1310.75,
  overdraft: 500,
};
const saver: Template = {
  accountType: "SAVINGS",
  displayName: "Instant Saver",
  available: 4820,
  current: 4820,
};
const joint: Template = {
  accountType: "TRANSACTION",
  displayName: "Joint Current Account",
  available: 642.18,
  current: 702.18,
  overdraft: 250,
};

const standard: Template[] = [current, saver];

const multi: Template[] = [
  ...standard,
  joint,
  {
    accountType: "BUSINESS_TRANSACTION",
    displayName: "Business Current Account",
    available: 15230.99,
    current: 15230.99,
  },
  { accountType: "SAVINGS", displayName: "Fixed Rate Cash ISA", available: 0, current: 20000 },
];

// display_name is optional in TrueLayer's JS client (IAccount.ts); the item without account_id tests
// that a client drops that one item and keeps the rest.
const sparse: Template[] = [
  current,
  { ...saver, omit: ["display_name"] },
  { ...joint, omit: ["account_id"] },
];

export function newAccountId(): string {
  return newId(16).replace(/[-_]/g, "x");
}

/** A valid UK IBAN: GB + mod-97 check digits + bank code + sort code + account number. */
export function ukIban(bankCode: string, sortCode: string, number: string): string {
  const bban = `${bankCode}${sortCode}${number}`;
  const digits = `${bban}GB00`.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  const remainder = Number(BigInt(digits) % 97n);
  return `GB${String(98 - remainder).padStart(2, "0")}${bban}`;
}

export function isValidIban(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  const digits = rearranged.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  return /^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban) && BigInt(digits) % 97n === 1n;
}

export function createAccounts(persona: Persona, provider: Provider): Account[] {
  const templates = { standard, multi, sparse }[persona.accountSet];
  const accounts = templates.map((t, i) => {
    const sortCode = `${provider.sortCodePrefix.slice(0, 4)}${String(10 + i * 7).padStart(2, "0")}`;
    const number = String(randomInt(10_000_000, 99_999_999));
    return {
      accountId: newAccountId(),
      accountType: t.accountType,
      displayName: t.displayName,
      description: `${t.displayName} for ${persona.holder}`,
      sortCode,
      number,
      iban: ukIban(provider.bankCode, sortCode, number),
      available: t.available,
      current: t.current,
      ...(t.overdraft === undefined ? {} : { overdraft: t.overdraft }),
      ...(t.omit === undefined ? {} : { omit: t.omit }),
    };
  });
  const first = accounts[0];
  // Like the real mock bank, plain personas repeat one IBAN; the iban persona gets one per account.
  if (persona.distinctIbans || first === undefined) return accounts;
  return accounts.map((a) => ({ ...a, iban: first.iban }));
}

export function formatSortCode(sortCode: string): string {
  return sortCode.replace(/^(\d{2})(\d{2})(\d{2})$/, "$1-$2-$3");
}
