import { z } from "zod";
import { ProfileNameSchema, ProfileOptionsSchema } from "./profiles";

// All times are epoch milliseconds on the owning client's simulated clock.
export const ClientSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUris: z.array(z.string().min(1)),
  consentScreenReviewed: z.boolean(),
  extendEnabled: z.boolean(),
  // Defaults keep data files written before profiles existed loadable.
  profile: ProfileNameSchema.default("strict"),
  options: ProfileOptionsSchema.default({}),
});

export const AccountSchema = z.object({
  accountId: z.string(),
  accountType: z.string(),
  displayName: z.string(),
  description: z.string().optional(),
  sortCode: z.string(),
  number: z.string(),
  iban: z.string(),
  available: z.number(),
  current: z.number(),
  overdraft: z.number().optional(),
  /** Fields this account's /accounts item leaves out (the sparse persona). */
  omit: z.array(z.enum(["display_name", "account_id"])).optional(),
});

export const ConnectionSchema = z.object({
  credentialsId: z.string(),
  clientId: z.string(),
  providerId: z.string(),
  persona: z.string(),
  username: z.string(),
  scope: z.array(z.string()),
  accounts: z.array(AccountSchema),
  consentCreatedAt: z.number(),
  consentExpiresAt: z.number(),
  status: z.enum(["active", "revoked"]),
  refreshTokenHash: z.string().nullable(),
  refreshLastUsedAt: z.number(),
  /** When the connection was first made; balances drift from here. Absent in older data files. */
  createdAt: z.number().optional(),
  /** /me shows `shownExpiresAt` instead of the real expiry until `until` (a renewal not yet visible). */
  meLag: z.object({ shownExpiresAt: z.number(), until: z.number() }).optional(),
  /** Ledger: when an answer carrying this grant's new tokens was lost (simulator-only). */
  answerLostAt: z.number().optional(),
  /** Ledger: SHA-256 of the last code exchanged for this grant, so a lost exchange answer can be matched. */
  lastCodeHash: z.string().optional(),
  /** Simulated times of served balance calls without X-PSU-IP, per account id. */
  unattendedBalanceCalls: z.record(z.string(), z.array(z.number())).optional(),
});

export const DialogSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  redirectUri: z.string(),
  scope: z.array(z.string()),
  providerIds: z.array(z.string()),
  providerId: z.string().nullable(),
  state: z.string().nullable(),
  responseMode: z.enum(["query", "form_post"]),
  codeChallenge: z.string().nullable(),
  /** Set when the dialog re-confirms an existing connection instead of creating one. */
  credentialsId: z.string().nullable(),
  step: z.enum(["choose", "login", "done"]),
  createdAt: z.number(),
});

export const CodeSchema = z.object({
  clientId: z.string(),
  redirectUri: z.string(),
  credentialsId: z.string(),
  codeChallenge: z.string().nullable(),
  extendConsent: z.boolean(),
  expiresAt: z.number(),
  used: z.boolean(),
});

export const AccessTokenSchema = z.object({
  clientId: z.string(),
  credentialsId: z.string(),
  expiresAt: z.number(),
  /** A later one was issued for the connection: this one no longer works. */
  superseded: z.boolean().optional(),
});

export const ReauthSchema = z.object({
  id: z.string(),
  /** "bank": the simulated bank re-authentication page; "dialog": a reconfirmation auth link. */
  kind: z.enum(["bank", "dialog"]),
  clientId: z.string(),
  credentialsId: z.string(),
  redirectUri: z.string(),
  state: z.string().nullable(),
  used: z.boolean(),
  createdAt: z.number(),
  /** Which call made it; the extend bank-return shape options do not apply to /v1/reauthuri. */
  via: z.enum(["extend", "reauthuri"]).optional(),
});

export const StateSchema = z.object({
  version: z.literal(1),
  clients: z.record(z.string(), ClientSchema),
  clockOffsets: z.record(z.string(), z.number()),
  /** sha256 of the auth link's query string → owning client; each link opens once. */
  links: z.record(z.string(), z.string()),
  dialogs: z.record(z.string(), DialogSchema),
  /** Keyed by sha256 of the code, so the data file never holds a usable secret. */
  codes: z.record(z.string(), CodeSchema),
  connections: z.record(z.string(), ConnectionSchema),
  accessTokens: z.record(z.string(), AccessTokenSchema),
  reauths: z.record(z.string(), ReauthSchema),
});

export type Client = z.infer<typeof ClientSchema>;
export type Account = z.infer<typeof AccountSchema>;
export type Connection = z.infer<typeof ConnectionSchema>;
export type Dialog = z.infer<typeof DialogSchema>;
export type Code = z.infer<typeof CodeSchema>;
export type AccessToken = z.infer<typeof AccessTokenSchema>;
export type Reauth = z.infer<typeof ReauthSchema>;
export type State = z.infer<typeof StateSchema>;

export function emptyState(): State {
  return {
    version: 1,
    clients: {},
    clockOffsets: {},
    links: {},
    dialogs: {},
    codes: {},
    connections: {},
    accessTokens: {},
    reauths: {},
  };
}
