import { z } from "zod";

// Required only if we cannot act without it; uncertain fields (per the reference) optional, a garbled optional one
// dropped (`.catch`) rather than fail a call TrueLayer acted on (a consumed code, a rotated refresh token).

const date = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { error: "expected an ISO date-time" })
  .transform((value) => new Date(value));

const optionalText = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((value) => (value ? value : undefined));

const optionalDate = date
  .nullish()
  .catch(undefined)
  .transform((value) => value ?? undefined);

const scopeList = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .catch(undefined)
  .transform((value) => {
    if (value == null) return undefined;
    const list = Array.isArray(value) ? value : value.split(/\s+/);
    return list.filter((scope) => scope.length > 0);
  });

export const tokenResponseSchema = z
  .object({
    access_token: z.string().min(1),
    refresh_token: optionalText,
    // Documented as always 3600 and "Bearer"; defaulting keeps a missing value from wasting a consumed code.
    expires_in: z.number().positive().catch(3600),
    token_type: z.string().min(1).catch("Bearer"),
    scope: scopeList,
  })
  .transform((body) => ({
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresIn: body.expires_in,
    tokenType: body.token_type,
    scope: body.scope,
  }));
export type TokenSet = z.output<typeof tokenResponseSchema>;

export const extendActionSchema = z.object({ action_needed: z.string() });

const userInputLink = z.url({ protocol: /^https?$/ });

export const extendResponseSchema = z.discriminatedUnion("action_needed", [
  z
    .object({
      action_needed: z.literal("no_action_needed"),
      access_token: z.string().min(1),
      refresh_token: optionalText,
      expires_in: z.number().positive().nullish().catch(undefined),
      consent_expires_at: optionalDate,
    })
    .transform((body) => ({
      action: body.action_needed,
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresIn: body.expires_in ?? undefined,
      consentExpiresAt: body.consent_expires_at,
    })),
  z
    .object({ action_needed: z.literal("authentication_needed"), user_input_link: userInputLink })
    .transform((body) => ({ action: body.action_needed, userInputLink: body.user_input_link })),
  z
    .object({ action_needed: z.literal("reconfirmation_of_consent_needed"), user_input_link: userInputLink })
    .transform((body) => ({ action: body.action_needed, userInputLink: body.user_input_link })),
]);
export type ExtendResult = z.output<typeof extendResponseSchema>;
export const KNOWN_EXTEND_ACTIONS = [
  "no_action_needed",
  "authentication_needed",
  "reconfirmation_of_consent_needed",
];

export const errorBodySchema = z.object({
  error: optionalText,
  error_description: optionalText,
  errors: z
    .record(z.string(), z.union([z.array(z.string()), z.string()]))
    .nullish()
    .catch(undefined),
  error_details: z.record(z.string(), z.unknown()).nullish().catch(undefined),
});
export type ErrorBody = z.output<typeof errorBodySchema>;

const providerSchema = z
  .object({
    provider_id: z.string(),
    display_name: optionalText,
    logo_uri: optionalText,
  })
  .transform((p) => ({ providerId: p.provider_id, displayName: p.display_name, logoUri: p.logo_uri }));
export type Provider = z.output<typeof providerSchema>;

const optionalProvider = providerSchema.nullish().catch(undefined);

/** The items that parsed; `dropped` counts the ones that did not (one odd item never fails the list). */
export type ListOf<T> = T[] & { dropped: number };

function usable<T extends z.ZodType>(item: T, results: unknown[]): ListOf<z.output<T>> {
  const parsed = results.map((value) => item.safeParse(value));
  const items = parsed.flatMap((p) => (p.success ? [p.data as z.output<T>] : []));
  // Not enumerable: the list still compares and serialises as a plain array.
  return Object.defineProperty(items, "dropped", { value: parsed.length - items.length }) as ListOf<
    z.output<T>
  >;
}

// Data responses are `{ results: [...], status }`; `status` is optional (uncertain in the reference).
function list<T extends z.ZodType>(item: T) {
  return z
    .object({ results: z.array(z.unknown()), status: optionalText })
    .transform((body) => usable(item, body.results));
}

function single<T extends z.ZodType>(item: T) {
  return z
    .object({ results: z.array(z.unknown()), status: optionalText })
    .transform((body, ctx): z.output<T> => {
      const [first] = usable(item, body.results);
      if (first === undefined) {
        ctx.issues.push({ code: "custom", message: "results has no usable item", input: body.results });
        return z.NEVER;
      }
      return first;
    });
}

const meSchema = z
  .object({
    client_id: optionalText,
    credentials_id: z.string().min(1),
    consent_status: optionalText,
    consent_created_at: optionalDate,
    consent_expires_at: optionalDate,
    provider: optionalProvider,
    // The older SDK put the provider id at the top level.
    provider_id: optionalText,
  })
  .transform((me) => ({
    clientId: me.client_id,
    credentialsId: me.credentials_id,
    consentStatus: me.consent_status,
    consentCreatedAt: me.consent_created_at,
    consentExpiresAt: me.consent_expires_at,
    provider: me.provider ?? (me.provider_id ? { providerId: me.provider_id } : undefined),
  }));
export const meResponseSchema = single(meSchema);
export type Me = z.output<typeof meSchema>;

const accountNumberSchema = z
  .object({
    iban: optionalText,
    number: optionalText,
    sort_code: optionalText,
    swift_bic: optionalText,
  })
  .transform((n) => ({ iban: n.iban, number: n.number, sortCode: n.sort_code, swiftBic: n.swift_bic }));

const accountSchema = z
  .object({
    account_id: z.string().min(1),
    // Only account_id is needed: TL's client types display_name optional; a new or missing type or currency must not
    // cost the user the account.
    account_type: optionalText,
    display_name: optionalText,
    currency: z.string().length(3).nullish().catch(undefined),
    description: optionalText,
    account_number: accountNumberSchema.nullish().catch(undefined),
    provider: optionalProvider,
    update_timestamp: optionalDate,
  })
  .transform((a) => ({
    accountId: a.account_id,
    accountType: a.account_type,
    displayName: a.display_name,
    currency: a.currency ?? undefined,
    description: a.description,
    accountNumber: a.account_number ?? undefined,
    provider: a.provider ?? undefined,
    updateTimestamp: a.update_timestamp,
  }));
export const accountsResponseSchema = list(accountSchema);
export type Account = z.output<typeof accountSchema>;

const balanceSchema = z
  .object({
    currency: z.string().length(3),
    available: z.number(),
    current: z.number(),
    overdraft: z.number().nullish().catch(undefined),
    update_timestamp: optionalDate,
  })
  .transform((b) => ({
    currency: b.currency,
    available: b.available,
    current: b.current,
    overdraft: b.overdraft ?? undefined,
    updateTimestamp: b.update_timestamp,
  }));
export const balanceResponseSchema = single(balanceSchema);
export type Balance = z.output<typeof balanceSchema>;
