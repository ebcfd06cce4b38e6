import "server-only";
import { z } from "zod";

// `RECONSENT_MODE=demo
// test` unlocks the simulator, clock control and demo secrets, only for a local APP_URL off Vercel.

const DEMO_MARKERS = ["demo", "change-me", "changeme", "placeholder", "example", "xxxxxxxx"];

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

const schema = z.object({
  RECONSENT_MODE: z.preprocess(emptyAsUnset, z.enum(["production", "demo", "test"]).optional()),
  APP_URL: url(),
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string({ error: "is missing" })
      .regex(/^postgres(ql)?:\/\//, { error: "must be a postgresql:// connection string" }),
  ),
  AUTH_SECRET: str().pipe(z.string().min(32, { error: "must be at least 32 characters" })),
  /** Keys the pseudonym on consent records (lib/consent/subject.ts); derived from AUTH_SECRET when unset. */
  CONSENT_SUBJECT_KEY: z.preprocess(
    emptyAsUnset,
    z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  ),
  TOKEN_ENCRYPTION_KEY: base64Key,
  TOKEN_ENCRYPTION_KEY_ID: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/)
      .default("k1"),
  ),
  /** Retired keys still able to open old rows: "id:base64key,id2:base64key". */
  TOKEN_ENCRYPTION_OLD_KEYS: optionalStr(),
  TRUELAYER_TARGET: z.preprocess(
    emptyAsUnset,
    z.enum(["simulator", "sandbox", "production"]).default("simulator"),
  ),
  TRUELAYER_CLIENT_ID: str(),
  TRUELAYER_CLIENT_SECRET: str(),
  TRUELAYER_AUTH_URL: z.preprocess(emptyAsUnset, url().optional()),
  TRUELAYER_API_URL: z.preprocess(emptyAsUnset, url().optional()),
  TRUELAYER_PROVIDERS: optionalStr(),
  SMTP_URL: z.preprocess(
    emptyAsUnset,
    z.string({ error: "is missing" }).regex(/^smtps?:\/\//, { error: "must be smtp:// or smtps://" }),
  ),
  EMAIL_FROM: str(),
  MAIL_INBOX_URL: z.preprocess(emptyAsUnset, url().optional()),
  CRON_SECRET: optionalStr(),
  /** How many proxies in front of the app append to X-Forwarded-For (lib/security/client-ip.ts). */
  TRUSTED_PROXY_HOPS: z.preprocess(
    emptyAsUnset,
    z.coerce.number().int().min(0).max(5, { error: "must be a whole number from 0 to 5" }).optional(),
  ),
  CLOCK_FILE: optionalStr(),
  // The deployer's name, purpose and policies (lib/brand.ts); demo defaults outside production.
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

type Raw = z.infer<typeof schema>;
const BRAND_REQUIRED = ["APP_NAME", "SHARING_PURPOSE", "PRIVACY_URL", "TERMS_URL", "SUPPORT_EMAIL"] as const;
export type Env = Omit<Raw, "RECONSENT_MODE" | "TRUSTED_PROXY_HOPS"> & {
  mode: "production" | "demo" | "test";
  isProduction: boolean;
  TRUSTED_PROXY_HOPS: number;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Reconsent cannot start: its environment is not valid.\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`,
    );
    this.name = "EnvError";
  }
}

function isLoopback(appUrl: string): boolean {
  const host = new URL(appUrl).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

function looksLikeDemo(value: string | undefined): boolean {
  if (!value) return false;
  const lower = value.toLowerCase();
  return DEMO_MARKERS.some((m) => lower.includes(m));
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new EnvError(problems);
  }
  const { RECONSENT_MODE, ...raw } = parsed.data;
  const onVercel = Boolean(raw.VERCEL || raw.VERCEL_ENV);
  const mode = RECONSENT_MODE ?? (onVercel || raw.NODE_ENV === "production" ? "production" : "demo");
  const problems: string[] = [];

  if (mode !== "production" && (onVercel || !isLoopback(raw.APP_URL))) {
    problems.push(`RECONSENT_MODE=${mode} is only allowed for a local APP_URL, never on Vercel`);
  }
  if (mode === "production") {
    for (const key of [
      "AUTH_SECRET",
      "CONSENT_SUBJECT_KEY",
      "TOKEN_ENCRYPTION_KEY",
      "TRUELAYER_CLIENT_SECRET",
      "CRON_SECRET",
    ] as const) {
      const value =
        key === "TOKEN_ENCRYPTION_KEY" ? Buffer.from(raw[key], "base64").toString("latin1") : raw[key];
      if (looksLikeDemo(raw[key]) || looksLikeDemo(value))
        problems.push(`${key} holds a demo or placeholder value; production needs a real secret`);
    }
    if (raw.TRUELAYER_TARGET === "simulator")
      problems.push("TRUELAYER_TARGET=simulator is not allowed in production");
    if (raw.CLOCK_FILE)
      problems.push("CLOCK_FILE must not be set in production: the clock cannot be moved there");
    if (!raw.APP_URL.startsWith("https://")) problems.push("APP_URL must use https:// in production");
    for (const key of BRAND_REQUIRED) if (!raw[key]) problems.push(`${key} is required in production`);
  }
  if (raw.TRUELAYER_TARGET === "simulator" && (!raw.TRUELAYER_AUTH_URL || !raw.TRUELAYER_API_URL)) {
    problems.push("TRUELAYER_AUTH_URL and TRUELAYER_API_URL are required when TRUELAYER_TARGET=simulator");
  }
  if (problems.length > 0) throw new EnvError(problems);
  return {
    ...raw,
    mode,
    isProduction: mode === "production",
    // Vercel overwrites X-Forwarded-For with the client's address, so its one hop can be believed.
    TRUSTED_PROXY_HOPS: raw.TRUSTED_PROXY_HOPS ?? (onVercel ? 1 : 0),
  };
}

let cached: Env | undefined;

// Parsed on first use, never at build time.
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** What parseEnv would refuse in `source`, [] when it is valid. */
export function envProblems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
}
