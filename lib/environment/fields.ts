import { z } from "zod";

const emptyAsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const str = () => z.preprocess(emptyAsUnset, z.string({ error: "is missing" }));
const optionalStr = () => z.preprocess(emptyAsUnset, z.string().optional());
const url = () =>
  z.preprocess(
    emptyAsUnset,
    z
      .url({
        protocol: /^https?$/,
        error: (issue) =>
          issue.input === undefined ? "is missing" : "must be an absolute URL (http:// or https://)",
      })
      .transform((u) => u.replace(/\/+$/, "")),
  );
const postgresUrl = () =>
  z
    .string({ error: "is missing" })
    .regex(/^postgres(ql)?:\/\/[^\s]+$/, { error: "must be a postgresql:// connection string" })
    .refine((v) => URL.canParse(v), { error: "must be a postgresql:// connection string" });
const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int({ error: `must be a whole number from ${min} to ${max}` })
      .min(min, { error: `must be a whole number from ${min} to ${max}` })
      .max(max, { error: `must be a whole number from ${min} to ${max}` })
      .optional(),
  );

// WCAG relative luminance: buttons put white text on the brand colour.
export function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (l + 0.05);
}

const base64Key = z.preprocess(
  emptyAsUnset,
  z
    .string({ error: "is missing" })
    .refine((v) => Buffer.from(v, "base64").length === 32, { error: "must be 32 bytes, base64-encoded" }),
);

/** Each variable on its own, so one bad value never hides the problems of the others. */
export const fields = z.object({
  RECONSENT_MODE: z.preprocess(
    emptyAsUnset,
    z.enum(["production", "demo", "test"], { error: "must be production, demo or test" }).optional(),
  ),
  APP_URL: url(),
  DATABASE_URL: z.preprocess(emptyAsUnset, postgresUrl()),
  DIRECT_URL: z.preprocess(emptyAsUnset, postgresUrl().optional()),
  DATABASE_POOL_SIZE: wholeNumber(1, 50),
  AUTH_SECRET: str().pipe(z.string().min(32, { error: "must be at least 32 characters" })),
  CONSENT_SUBJECT_KEY: z.preprocess(
    emptyAsUnset,
    z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  ),
  TOKEN_ENCRYPTION_KEY: base64Key,
  TOKEN_ENCRYPTION_KEY_ID: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/, { error: "must be 1 to 32 of a-z, 0-9 and -" })
      .default("k1"),
  ),
  TOKEN_ENCRYPTION_OLD_KEYS: optionalStr(),
  TRUELAYER_TARGET: z.preprocess(
    emptyAsUnset,
    z
      .enum(["simulator", "sandbox", "production"], { error: "must be simulator, sandbox or production" })
      .optional(),
  ),
  TRUELAYER_CLIENT_ID: str(),
  TRUELAYER_CLIENT_SECRET: str(),
  TRUELAYER_AUTH_URL: z.preprocess(emptyAsUnset, url().optional()),
  TRUELAYER_API_URL: z.preprocess(emptyAsUnset, url().optional()),
  TRUELAYER_PROVIDERS: optionalStr(),
  SMTP_URL: z.preprocess(
    emptyAsUnset,
    z
      .string({ error: "is missing" })
      .regex(/^smtps?:\/\/[^\s]+$/, { error: "must be smtp:// or smtps://" })
      .refine((v) => URL.canParse(v), { error: "must be smtp:// or smtps://" }),
  ),
  EMAIL_FROM: str(),
  MAIL_INBOX_URL: z.preprocess(emptyAsUnset, url().optional()),
  CRON_SECRET: optionalStr(),
  TRUSTED_PROXY_HOPS: wholeNumber(0, 5),
  CLIENT_IP_HEADER: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9-]{1,64}$/, { error: "must be one header name, like x-real-ip" })
      .optional(),
  ),
  CLOCK_FILE: optionalStr(),
  ALERT_WEBHOOK_URL: z.preprocess(emptyAsUnset, url().optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUnset, url().optional()),
  OTEL_EXPORTER_OTLP_HEADERS: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^\s*[^=,\s]+=[^,]*(,\s*[^=,\s]+=[^,]*)*\s*$/, {
        error: "must be key=value pairs, comma-separated",
      })
      .optional(),
  ),
  RENEWAL_ALERT_FAILURE_PERCENT: wholeNumber(1, 100),
  RENEWAL_ALERT_MIN_RESULTS: wholeNumber(1, 100_000),
  APP_NAME: z.preprocess(
    emptyAsUnset,
    z.string().trim().max(60, { error: "must be 60 characters or fewer" }).optional(),
  ),
  SHARING_PURPOSE: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .trim()
      .max(200, { error: "must be one sentence of 200 characters or fewer" })
      .regex(/^[^\n]*[.!]$/, { error: "must be one sentence ending in a full stop" })
      .refine((v) => !/[.!?]\s+[A-Z]/.test(v), { error: "must be one sentence" })
      .optional(),
  ),
  PRIVACY_URL: z.preprocess(emptyAsUnset, url().optional()),
  TERMS_URL: z.preprocess(emptyAsUnset, url().optional()),
  SUPPORT_EMAIL: z.preprocess(emptyAsUnset, z.email({ error: "must be an email address" }).optional()),
  BRAND_COLOR: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { error: "must be a colour like #185a44" })
      .refine((hex) => !/^#[0-9a-fA-F]{6}$/.test(hex) || contrastWithWhite(hex) >= 4.5, {
        error: "must be dark enough for white text on it (contrast of 4.5:1 or more)",
      })
      .optional(),
  ),
  BRAND_LOGO_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^(https?:\/\/[^\s]+|\/[^\s/][^\s]*)$/, {
        error: "must be an absolute URL or a path like /logo.svg",
      })
      .optional(),
  ),
  VERCEL: optionalStr(),
  VERCEL_ENV: optionalStr(),
  NODE_ENV: optionalStr(),
});

export type Fields = z.infer<typeof fields>;
export type FieldName = keyof Fields;

export const isGiven = (value: string | undefined) => emptyAsUnset(value) !== undefined;
