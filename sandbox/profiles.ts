import { z } from "zod";

/**
 * A profile is a named set of behaviours; `options` override the per-client knobs on top of it. Both
 * follow what TrueLayer's pages settle; they differ only where the sources are silent or disagree:
 * `strict` takes the stricter reading, `truelayer-sandbox` what public sources show the real sandbox
 * doing (see README.md, "Profiles", for the source behind each line).
 */
export const ProfileNameSchema = z.enum(["strict", "truelayer-sandbox"]);
export type ProfileName = z.infer<typeof ProfileNameSchema>;

export const BankReturnSchema = z.strictObject({
  /** The query/form field that carries the code after an extend bank trip. */
  codeParam: z.enum(["code", "exchange_code"]).optional(),
  /** Echo the extend body's `state` (only ever if one was sent) or leave it out. */
  state: z.enum(["echo", "omit"]).optional(),
  /** `form_post`: an auto-submitting POST form instead of a 302 with a query string. */
  responseMode: z.enum(["query", "form_post"]).optional(),
  /** Add `error_description` to a cancel (`error=access_denied`). */
  errorDescription: z.boolean().optional(),
});

/** Number N = the next N calls fail; a string of `x` (fail) and `.` (normal) = one character per call. */
export const FlakyClientAuthSchema = z.union([
  z.number().int().min(0).max(1000),
  z.string().regex(/^[x.]{0,1000}$/, { error: 'flakyClientAuth must use only "x" and "."' }),
]);

export const ProfileOptionsSchema = z.strictObject({
  bankReturn: BankReturnSchema.optional(),
  /** Refresh grants (and a renewing extend) hand out a new refresh token and kill the old one. */
  rotateRefreshTokens: z.boolean().optional(),
  newCredentialsIdOnReauth: z.boolean().optional(),
  newAccountIdsOnReauth: z.boolean().optional(),
  flakyClientAuth: FlakyClientAuthSchema.optional(),
  /** Simulated ms during which /me keeps showing the pre-renewal consent_expires_at. */
  meLagMs: z
    .number()
    .int()
    .min(0)
    .max(90 * 24 * 3600 * 1000)
    .optional(),
  consentScreenError: z.enum(["consent_screen_not_reviewed", "validation_error"]).optional(),
});
export type ProfileOptions = z.infer<typeof ProfileOptionsSchema>;

export interface Behaviour {
  profile: ProfileName;
  /** refresh_token grants hand out a new refresh token and kill the old one. */
  rotateRefreshTokens: boolean;
  /** The error for an unknown, foreign or revoked refresh token at /connect/token. */
  rejectedRefreshError: "invalid_grant" | "invalid_client";
  /** Answers name the uk-cs-mock bank `mock` / "Mock", as TrueLayer's fixtures do. */
  publicMockProvider: boolean;
  /** Extend's no_action_needed answer carries `expires_in` and `consent_expires_at`. */
  extendAnswerExpiry: boolean;
  bankReturn: Required<z.infer<typeof BankReturnSchema>>;
  newCredentialsIdOnReauth: boolean;
  newAccountIdsOnReauth: boolean;
  meLagMs: number;
  consentScreenError: "consent_screen_not_reviewed" | "validation_error";
}

const HOUR_MS = 3600 * 1000;

const presets: Record<ProfileName, Behaviour> = {
  strict: {
    profile: "strict",
    rotateRefreshTokens: true,
    rejectedRefreshError: "invalid_grant",
    publicMockProvider: false,
    extendAnswerExpiry: true,
    bankReturn: { codeParam: "code", state: "echo", responseMode: "query", errorDescription: false },
    newCredentialsIdOnReauth: false,
    newAccountIdsOnReauth: false,
    meLagMs: 0,
    consentScreenError: "consent_screen_not_reviewed",
  },
  "truelayer-sandbox": {
    profile: "truelayer-sandbox",
    rotateRefreshTokens: false,
    rejectedRefreshError: "invalid_client",
    publicMockProvider: true,
    extendAnswerExpiry: false,
    bankReturn: { codeParam: "code", state: "omit", responseMode: "query", errorDescription: false },
    newCredentialsIdOnReauth: false,
    newAccountIdsOnReauth: false,
    meLagMs: HOUR_MS,
    consentScreenError: "validation_error",
  },
};

/** The behaviour for a profile with a client's option overrides applied. */
export function resolveBehaviour(profile: ProfileName, options: ProfileOptions = {}): Behaviour {
  const preset = presets[profile];
  const { bankReturn, flakyClientAuth: _flaky, ...rest } = options;
  return { ...preset, ...defined(rest), bankReturn: { ...preset.bankReturn, ...defined(bankReturn ?? {}) } };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Stored form of flakyClientAuth: always a pattern string. */
export function flakyPattern(value: z.infer<typeof FlakyClientAuthSchema> | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "number" ? "x".repeat(value) : value;
}
