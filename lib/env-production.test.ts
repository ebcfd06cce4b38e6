import { describe, expect, it } from "vitest";
import { PRODUCTION_ENV } from "@/test/env-fixture";
import { envProblems, parseEnv } from "./env";

type Variant = { name: string; change: Record<string, string | undefined>; problem: RegExp };

const key32 = (byte: number) =>
  Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + byte) % 256)).toString("base64");
const goodOldKey = `k1:${key32(11)}`;

const localHosts = ["localhost", "127.0.0.1", "127.3.2.1", "[::1]", "0.0.0.0", "app.localhost", "LOCALHOST"];
const reservedHosts = [
  "reconsent.example",
  "mail.test",
  "api.invalid",
  "example.com",
  "www.example.org",
  "box.local",
];
const privateHosts = ["10.0.0.5", "192.168.1.20", "172.20.0.3", "[fd00::1]"];

const hostVariants = (
  key: string,
  make: (host: string) => string,
  hosts: string[],
  problem: RegExp,
): Variant[] => hosts.map((host) => ({ name: `${key} at ${host}`, change: { [key]: make(host) }, problem }));

// Each bad production environment differs from a good one in one setting, and must be refused by name.
const variants: Variant[] = [
  {
    name: "no CRON_SECRET",
    change: { CRON_SECRET: undefined },
    problem: /^CRON_SECRET is required in production/,
  },
  {
    name: "blank CRON_SECRET",
    change: { CRON_SECRET: "  " },
    problem: /^CRON_SECRET is required in production/,
  },
  {
    name: "short CRON_SECRET",
    change: { CRON_SECRET: "Zq81-Lm4-pW0r" },
    problem: /^CRON_SECRET must be at least 32/,
  },
  {
    name: "no CONSENT_SUBJECT_KEY",
    change: { CONSENT_SUBJECT_KEY: undefined },
    problem: /^CONSENT_SUBJECT_KEY is required in production/,
  },
  {
    name: "TRUELAYER_TARGET unset",
    change: { TRUELAYER_TARGET: undefined },
    problem: /^TRUELAYER_TARGET is not set/,
  },
  {
    name: "TRUELAYER_TARGET=simulator",
    change: { TRUELAYER_TARGET: "simulator" },
    problem: /^TRUELAYER_TARGET=simulator is not allowed/,
  },
  {
    name: "a sandbox client id with the production target",
    change: { TRUELAYER_CLIENT_ID: "sandbox-budgetly-4f9a2c" },
    problem: /^TRUELAYER_CLIENT_ID is a sandbox app's id/,
  },
  {
    name: "a live client id with the sandbox target",
    change: { TRUELAYER_TARGET: "sandbox" },
    problem: /^TRUELAYER_CLIENT_ID must be a sandbox app's id/,
  },
  {
    name: "TrueLayer's sandbox host with the production target",
    change: { TRUELAYER_API_URL: "https://api.truelayer-sandbox.com" },
    problem: /^TRUELAYER_API_URL points at TrueLayer's sandbox/,
  },
  {
    name: "plain http to TrueLayer",
    change: { TRUELAYER_AUTH_URL: "http://auth.truelayer.com" },
    problem: /^TRUELAYER_AUTH_URL must use https/,
  },
  {
    name: "the mock bank with the production target",
    change: { TRUELAYER_PROVIDERS: "uk-ob-all uk-cs-mock" },
    problem: /^TRUELAYER_PROVIDERS offers the sandbox mock bank/,
  },
  ...["TRUELAYER_AUTH_URL", "TRUELAYER_API_URL"].flatMap((key) => [
    ...hostVariants(
      key,
      (h) => `https://${h}:3001`,
      [...localHosts, ...reservedHosts],
      new RegExp(`^${key} (points at this machine|uses the reserved name)`),
    ),
    ...hostVariants(
      key,
      (h) => `https://${h}`,
      privateHosts,
      new RegExp(`^${key} points at a private network address`),
    ),
  ]),
  ...hostVariants(
    "SMTP_URL",
    (h) => `smtp://${h}:2525`,
    [...localHosts, ...reservedHosts],
    /^SMTP_URL (points at this machine|uses the reserved name)/,
  ),
  ...["APP_URL", "PRIVACY_URL", "TERMS_URL", "BRAND_LOGO_URL"].flatMap((key) =>
    hostVariants(
      key,
      (h) => `https://${h}${key === "APP_URL" ? "" : "/x"}`,
      [...localHosts, ...reservedHosts],
      new RegExp(`^${key} (points at this machine|uses the reserved name)`),
    ),
  ),
  ...["APP_URL", "PRIVACY_URL", "TERMS_URL", "BRAND_LOGO_URL"].map((key) => ({
    name: `${key} over http`,
    change: { [key]: `http://budgetly.co.uk${key === "APP_URL" ? "" : "/x"}` },
    problem: new RegExp(`^${key} must use https`),
  })),
  {
    name: "APP_URL with a path",
    change: { APP_URL: "https://budgetly.co.uk/consent" },
    problem: /^APP_URL must be an origin only/,
  },
  ...["EMAIL_FROM", "SUPPORT_EMAIL"].flatMap((key) =>
    ["reconsent.localhost", "example.com", "budgetly.test"].map((domain) => ({
      name: `${key} at ${domain}`,
      change: { [key]: key === "EMAIL_FROM" ? `Budgetly <no-reply@${domain}>` : `help@${domain}` },
      problem: new RegExp(`^${key} (uses the reserved name|points at this machine)`),
    })),
  ),
  {
    name: "the demo's inbox link",
    change: { MAIL_INBOX_URL: "https://inbox.budgetly.co.uk" },
    problem: /^MAIL_INBOX_URL is the demo's local inbox/,
  },
  { name: "a clock file", change: { CLOCK_FILE: "/tmp/clock.json" }, problem: /^CLOCK_FILE must not be set/ },
  ...["AUTH_SECRET", "CONSENT_SUBJECT_KEY", "TRUELAYER_CLIENT_SECRET", "CRON_SECRET"].flatMap((key) =>
    ["demo", "change-me", "placeholder", "EXAMPLE"].map((marker) => ({
      name: `${key} holding "${marker}"`,
      change: { [key]: `${marker}-${key.toLowerCase()}-0123456789abcdef0123456789` },
      problem: new RegExp(`^${key} holds a demo or placeholder value`),
    })),
  ),
  {
    name: "the demo's token key",
    change: { TOKEN_ENCRYPTION_KEY: "ZGVtby1kZW1vLWRlbW8tZGVtby1kZW1vLWRlbW8tMTI=" },
    problem: /^TOKEN_ENCRYPTION_KEY holds a demo/,
  },
  {
    name: "a token key of one repeated byte",
    change: { TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64") },
    problem: /^TOKEN_ENCRYPTION_KEY is not random/,
  },
  {
    name: "CONSENT_SUBJECT_KEY equal to AUTH_SECRET",
    change: { CONSENT_SUBJECT_KEY: PRODUCTION_ENV.AUTH_SECRET },
    problem: /^CONSENT_SUBJECT_KEY must differ from AUTH_SECRET/,
  },
  {
    name: "CRON_SECRET equal to AUTH_SECRET",
    change: { CRON_SECRET: PRODUCTION_ENV.AUTH_SECRET },
    problem: /^CRON_SECRET must differ from AUTH_SECRET/,
  },
  ...[
    ["no colon", `k1${key32(11)}`],
    ["a short key", "k1:c2hvcnQ="],
    ["an id with capitals", `K1:${key32(11)}`],
    ["two colons", `k1:${key32(11)}:x`],
    ["an empty entry", `${goodOldKey},`],
    ["the current key's id", `k2:${key32(11)}`],
    ["a repeated id", `${goodOldKey},k1:${key32(12)}`],
  ].map(([what, value]) => ({
    name: `TOKEN_ENCRYPTION_OLD_KEYS with ${what}`,
    change: { TOKEN_ENCRYPTION_OLD_KEYS: value },
    problem: /^TOKEN_ENCRYPTION_OLD_KEYS entry \d/,
  })),
  {
    name: "no statement of how client addresses arrive",
    change: { TRUSTED_PROXY_HOPS: undefined },
    problem: /^TRUSTED_PROXY_HOPS is not set: say how client addresses reach the app/,
  },
  {
    name: "TRUSTED_PROXY_HOPS=0",
    change: { TRUSTED_PROXY_HOPS: "0" },
    problem: /^TRUSTED_PROXY_HOPS=0 believes no client address/,
  },
  {
    name: "both proxy settings",
    change: { CLIENT_IP_HEADER: "x-real-ip" },
    problem: /^CLIENT_IP_HEADER and TRUSTED_PROXY_HOPS are both set/,
  },
  ...["X-Forwarded-For", "forwarded"].map((header) => ({
    name: `CLIENT_IP_HEADER=${header}`,
    change: { CLIENT_IP_HEADER: header, TRUSTED_PROXY_HOPS: undefined },
    problem: /^CLIENT_IP_HEADER cannot be/,
  })),
  {
    name: "a pooler without DIRECT_URL",
    change: { DATABASE_URL: "postgresql://app:pw@pool.budgetly.co.uk:6432/reconsent?pgbouncer=true" },
    problem: /^DIRECT_URL is required when DATABASE_URL goes through a pooler/,
  },
  {
    name: "a schema behind a pooler",
    change: {
      DATABASE_URL: "postgresql://app:pw@pool.budgetly.co.uk:6432/reconsent?pgbouncer=true&schema=consent",
      DIRECT_URL: "postgresql://app:pw@db.budgetly.co.uk:5432/reconsent?schema=consent",
    },
    problem: /^DATABASE_URL combines schema= with pgbouncer=true/,
  },
  {
    name: "DIRECT_URL through the pooler",
    change: { DIRECT_URL: "postgresql://app:pw@pool.budgetly.co.uk:6432/reconsent?pgbouncer=true" },
    problem: /^DIRECT_URL must reach PostgreSQL directly/,
  },
  {
    name: "DIRECT_URL on another schema",
    change: { DIRECT_URL: "postgresql://app:pw@db.budgetly.co.uk:5432/reconsent?schema=other" },
    problem: /^DIRECT_URL names another schema/,
  },
  {
    name: "a pool size that disagrees with connection_limit",
    change: { DATABASE_URL: `${PRODUCTION_ENV.DATABASE_URL}&connection_limit=2`, DATABASE_POOL_SIZE: "4" },
    problem: /^DATABASE_POOL_SIZE disagrees with connection_limit/,
  },
  {
    name: "a pool size of 0",
    change: { DATABASE_POOL_SIZE: "0" },
    problem: /^DATABASE_POOL_SIZE must be a whole number from 1 to 50/,
  },
  {
    name: "OTLP headers that are not key=value pairs",
    change: { OTEL_EXPORTER_OTLP_HEADERS: "api-key" },
    problem: /^OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs, comma-separated$/,
  },
  {
    name: "a renewal alert threshold over 100%",
    change: { RENEWAL_ALERT_FAILURE_PERCENT: "120" },
    problem: /^RENEWAL_ALERT_FAILURE_PERCENT must be a whole number from 1 to 100$/,
  },
  {
    name: "demo mode on a public APP_URL",
    change: { RECONSENT_MODE: "demo" },
    problem: /^RECONSENT_MODE is demo, which is only allowed for a local APP_URL/,
  },
];

describe("a production environment with one dangerous setting is refused, naming it", () => {
  it("starts as the good environment it is varied from", () => {
    expect(envProblems(PRODUCTION_ENV)).toEqual([]);
    expect(parseEnv(PRODUCTION_ENV)).toMatchObject({
      mode: "production",
      isProduction: true,
      TRUSTED_PROXY_HOPS: 1,
    });
  });

  it.each(variants)("$name", ({ change, problem }) => {
    expect(envProblems({ ...PRODUCTION_ENV, ...change })).toEqual([expect.stringMatching(problem)]);
  });

  it("names variables and positions but never prints a secret", () => {
    const secrets = [
      key32(11),
      "hunter2-db",
      ...Object.values(PRODUCTION_ENV).filter((v) => (v?.length ?? 0) > 40),
    ];
    const problems = variants.flatMap(({ change }) => envProblems({ ...PRODUCTION_ENV, ...change }));
    for (const secret of secrets) expect(problems.join("\n")).not.toContain(secret);
  });
});

describe("all problems of one environment come in one list", () => {
  it("lists one problem for each variable that is wrong, malformed values and production rules together", () => {
    const excluded = [
      "TRUELAYER_TARGET",
      "RECONSENT_MODE",
      "CLIENT_IP_HEADER",
      "DATABASE_POOL_SIZE",
      "DIRECT_URL",
    ];
    const firstPerKey = new Map<string, Variant>();
    for (const variant of variants) {
      const [key, ...others] = Object.keys(variant.change);
      if (key && others.length === 0 && !excluded.includes(key) && !firstPerKey.has(key))
        firstPerKey.set(key, variant);
    }
    const chosen = [...firstPerKey.values()];
    const combined = Object.assign({ ...PRODUCTION_ENV }, ...chosen.map((v) => v.change), {
      DATABASE_POOL_SIZE: "lots",
      SHARING_PURPOSE: "Two sentences. Not one.",
    });
    const problems = envProblems(combined);
    for (const { problem } of chosen) expect(problems).toContainEqual(expect.stringMatching(problem));
    expect(problems).toContainEqual(expect.stringMatching(/^DATABASE_POOL_SIZE must be a whole number/));
    expect(problems).toContainEqual(expect.stringMatching(/^SHARING_PURPOSE must be one sentence/));
    expect(chosen.length).toBeGreaterThan(20);
  });

  it("reports TRUELAYER_TARGET unset as unset, beside a malformed value, not as the simulator", () => {
    const problems = envProblems({
      ...PRODUCTION_ENV,
      TRUELAYER_TARGET: undefined,
      TRUELAYER_API_URL: "http://127.0.0.1:3001",
      CRON_SECRET: undefined,
      BRAND_COLOR: "pink",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^BRAND_COLOR must be a colour/),
      expect.stringMatching(/^CRON_SECRET is required/),
      expect.stringMatching(/^TRUELAYER_TARGET is not set/),
      expect.stringMatching(/^TRUELAYER_API_URL points at this machine/),
    ]);
  });
});

describe("good production environments start", () => {
  const good: [string, Record<string, string | undefined>][] = [
    ["self-hosted behind one proxy", PRODUCTION_ENV],
    [
      "on Vercel, where the platform sets the client address",
      {
        ...PRODUCTION_ENV,
        NODE_ENV: undefined,
        VERCEL: "1",
        VERCEL_ENV: "production",
        TRUSTED_PROXY_HOPS: undefined,
      },
    ],
    [
      "behind a platform header",
      { ...PRODUCTION_ENV, TRUSTED_PROXY_HOPS: undefined, CLIENT_IP_HEADER: "Fly-Client-IP" },
    ],
    [
      "a staging deployment on TrueLayer's sandbox",
      {
        ...PRODUCTION_ENV,
        TRUELAYER_TARGET: "sandbox",
        TRUELAYER_CLIENT_ID: "sandbox-budgetly-4f9a2c",
        TRUELAYER_PROVIDERS: "uk-cs-mock",
      },
    ],
    [
      "through a pooler with a direct URL for migrations",
      {
        ...PRODUCTION_ENV,
        DATABASE_URL: "postgresql://app:pw@pool.budgetly.co.uk:6432/reconsent?pgbouncer=true",
        DIRECT_URL: "postgresql://app:pw@db.budgetly.co.uk:5432/reconsent",
      },
    ],
    [
      "on a schema of its own without a pooler",
      {
        ...PRODUCTION_ENV,
        DATABASE_URL: `${PRODUCTION_ENV.DATABASE_URL}&schema=consent`,
        DIRECT_URL: "postgresql://owner:pw@db.budgetly.co.uk:5432/reconsent?schema=consent",
      },
    ],
    [
      "mid-rotation, with old token keys",
      { ...PRODUCTION_ENV, TOKEN_ENCRYPTION_OLD_KEYS: `${goodOldKey}, k0:${key32(5)}` },
    ],
  ];
  it.each(good)("%s", (_, source) => {
    expect(envProblems(source)).toEqual([]);
  });

  it("sizes the pool per instance: 3 on Vercel, 5 elsewhere, or as set", () => {
    expect(parseEnv(PRODUCTION_ENV).DATABASE_POOL_SIZE).toBe(5);
    const onVercel = { ...PRODUCTION_ENV, VERCEL: "1", TRUSTED_PROXY_HOPS: undefined };
    expect(parseEnv(onVercel).DATABASE_POOL_SIZE).toBe(3);
    expect(parseEnv({ ...PRODUCTION_ENV, DATABASE_POOL_SIZE: "2" }).DATABASE_POOL_SIZE).toBe(2);
    expect(
      parseEnv({ ...PRODUCTION_ENV, DATABASE_URL: `${PRODUCTION_ENV.DATABASE_URL}&connection_limit=1` })
        .DATABASE_POOL_SIZE,
    ).toBe(1);
  });

  it("judges without the network or the database, quickly", () => {
    const started = performance.now();
    for (let i = 0; i < 200; i++) parseEnv(PRODUCTION_ENV);
    expect((performance.now() - started) / 200).toBeLessThan(10);
  });
});
