import "server-only";
import { addDays, now } from "@/lib/clock";
import type { Account, ListOf, Me } from "@/lib/truelayer";
import { accountFingerprint } from "../account-fingerprint";
import { CONSENT_DAYS } from "../consent-state";
import { CONNECT_SCOPES, fallbackAccountName, maskAccountNumber } from "../describe";
import { sealedTokenColumns } from "../sealed-tokens";

/** What the bank shared at a connect or a bank return, tokens sealed: all a connection is made of. */
export type BankSnapshot = {
  tokens: { accessTokenSealed: string; refreshTokenSealed?: string; tokenKeyId: string };
  accessTokenExpiresAt: Date;
  scopes: string[];
  credentialsId: string;
  providerId: string;
  providerName: string;
  providerLogoUrl: string | null;
  consentCreatedAt: Date;
  consentExpiresAt: Date;
  accounts: {
    truelayerAccountId: string;
    displayName: string;
    accountType: string;
    maskedNumber: string | null;
    fingerprint: string | null;
    currency: string;
  }[];
};

export function snapshotFrom(
  tokens: { accessToken: string; refreshToken?: string; expiresIn?: number; scope?: string[] },
  me: Me,
  accounts: Account[] | ListOf<Account>,
): BankSnapshot {
  const at = now();
  if ("dropped" in accounts && accounts.dropped > 0) {
    console.warn(`TrueLayer sent ${accounts.dropped} account(s) without an account_id; they were left out.`);
  }
  const fromAccounts = accounts.find((a) => a.provider)?.provider;
  const provider = { ...fromAccounts, ...me.provider };
  return {
    tokens: sealedTokenColumns(tokens),
    accessTokenExpiresAt: new Date(at.getTime() + (tokens.expiresIn ?? 3600) * 1000),
    scopes: tokens.scope?.length ? tokens.scope : [...CONNECT_SCOPES],
    credentialsId: me.credentialsId,
    providerId: provider.providerId ?? "unknown",
    providerName: provider.displayName ?? fromAccounts?.displayName ?? "Your bank",
    providerLogoUrl: provider.logoUri ?? fromAccounts?.logoUri ?? null,
    consentCreatedAt: me.consentCreatedAt ?? at,
    consentExpiresAt: me.consentExpiresAt ?? addDays(at, CONSENT_DAYS),
    accounts: accounts.map((a) => {
      const masked = maskAccountNumber(a.accountNumber?.number, a.accountNumber?.iban);
      return {
        truelayerAccountId: a.accountId,
        displayName: a.displayName ?? a.description ?? fallbackAccountName(a.accountType, masked),
        accountType: a.accountType ?? "UNKNOWN",
        maskedNumber: masked,
        fingerprint: accountFingerprint(a.accountNumber),
        currency: a.currency ?? "",
      };
    }),
  };
}
