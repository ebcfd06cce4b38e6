import { type Context, emailDomain, hostOf, type Problem, problem } from "./context";
import { databaseUrlOptions } from "./database-url";
import type { FieldName } from "./fields";
import { notPublic } from "./hosts";

const DEMO_MARKERS = ["demo", "change-me", "changeme", "placeholder", "example", "xxxxxxxx"];
const SECRETS = ["AUTH_SECRET", "CONSENT_SUBJECT_KEY", "CRON_SECRET"] as const;
const BRAND_REQUIRED = ["APP_NAME", "SHARING_PURPOSE", "PRIVACY_URL", "TERMS_URL", "SUPPORT_EMAIL"] as const;

const looksLikeDemo = (value: string) => DEMO_MARKERS.some((m) => value.toLowerCase().includes(m));

function secretRules({ values, given }: Context): Problem[] {
  const problems: Problem[] = [];
  const key = values.TOKEN_ENCRYPTION_KEY ? Buffer.from(values.TOKEN_ENCRYPTION_KEY, "base64") : undefined;
  const texts: [FieldName, (string | undefined)[]][] = [
    ["AUTH_SECRET", [values.AUTH_SECRET]],
    ["CONSENT_SUBJECT_KEY", [values.CONSENT_SUBJECT_KEY]],
    ["TOKEN_ENCRYPTION_KEY", [values.TOKEN_ENCRYPTION_KEY, key?.toString("latin1")]],
    ["TRUELAYER_CLIENT_SECRET", [values.TRUELAYER_CLIENT_SECRET]],
    ["CRON_SECRET", [values.CRON_SECRET]],
  ];
  for (const [name, forms] of texts)
    if (forms.some((value) => value && looksLikeDemo(value)))
      problems.push(problem(name, "holds a demo or placeholder value; production needs a real secret"));
  // 32 random bytes have about 31 distinct values; a key typed by hand or filled with one byte has far fewer.
  if (key && new Set(key).size < 16 && !problems.some((p) => p.startsWith("TOKEN_ENCRYPTION_KEY ")))
    problems.push(problem("TOKEN_ENCRYPTION_KEY", "is not random: make one with `openssl rand -base64 32`"));
  if (!given("CONSENT_SUBJECT_KEY"))
    problems.push(
      problem(
        "CONSENT_SUBJECT_KEY",
        "is required in production: without it consent pseudonyms follow AUTH_SECRET, and rotating that would orphan them",
      ),
    );
  if (!given("CRON_SECRET"))
    problems.push(
      problem(
        "CRON_SECRET",
        "is required in production: without it the scheduled job's route refuses every call (503)",
      ),
    );
  else if (values.CRON_SECRET && values.CRON_SECRET.length < 32)
    problems.push(problem("CRON_SECRET", "must be at least 32 characters in production"));
  SECRETS.forEach((name, i) => {
    const value = values[name];
    const twin = SECRETS.slice(0, i).find((earlier) => value && values[earlier] === value);
    if (twin) problems.push(problem(name, `must differ from ${twin}`));
  });
  return problems;
}

function truelayerRules({ values, given, target }: Context): Problem[] {
  if (target === "simulator") return [problem("TRUELAYER_TARGET", "=simulator is not allowed in production")];
  const problems: Problem[] = [];
  if (!given("TRUELAYER_TARGET"))
    problems.push(
      problem(
        "TRUELAYER_TARGET",
        "is not set: production needs TRUELAYER_TARGET=production (or sandbox for a staging deployment)",
      ),
    );
  for (const key of ["TRUELAYER_AUTH_URL", "TRUELAYER_API_URL"] as const) {
    const value = values[key];
    if (!value) continue;
    const host = hostOf(value) ?? "";
    const why = notPublic(host, { privateAllowed: false });
    if (why) problems.push(problem(key, `${why}; production talks to TrueLayer itself (unset it)`));
    else if (!value.startsWith("https://")) problems.push(problem(key, "must use https:// in production"));
    else if (target === "production" && host.endsWith("truelayer-sandbox.com"))
      problems.push(problem(key, "points at TrueLayer's sandbox while TRUELAYER_TARGET=production"));
  }
  if (target === "production" && /(^|\s)uk-cs-mock(\s|$)/.test(values.TRUELAYER_PROVIDERS ?? ""))
    problems.push(
      problem(
        "TRUELAYER_PROVIDERS",
        "offers the sandbox mock bank (uk-cs-mock) while TRUELAYER_TARGET=production",
      ),
    );
  return problems;
}

function publicUrl(key: FieldName, value: string | undefined): Problem[] {
  if (!value || !/^https?:\/\//.test(value)) return [];
  const why = notPublic(hostOf(value) ?? "");
  if (why) return [problem(key, `${why}; production needs a public address`)];
  return value.startsWith("https://") ? [] : [problem(key, "must use https:// in production")];
}

function addressRules({ values, given }: Context): Problem[] {
  const problems: Problem[] = [
    ...publicUrl("APP_URL", values.APP_URL),
    ...publicUrl("PRIVACY_URL", values.PRIVACY_URL),
    ...publicUrl("TERMS_URL", values.TERMS_URL),
    ...publicUrl("BRAND_LOGO_URL", values.BRAND_LOGO_URL),
    ...publicUrl("ALERT_WEBHOOK_URL", values.ALERT_WEBHOOK_URL),
  ];
  const smtpHost = values.SMTP_URL ? hostOf(values.SMTP_URL) : null;
  const smtpWhy = smtpHost === null ? null : notPublic(smtpHost);
  if (smtpWhy) problems.push(problem("SMTP_URL", `${smtpWhy}; production sends through your mail provider`));
  for (const key of ["EMAIL_FROM", "SUPPORT_EMAIL"] as const) {
    const value = values[key];
    if (!value) continue;
    const domain = emailDomain(value);
    const why = domain ? notPublic(domain) : "has no address";
    if (why) problems.push(problem(key, `${why}; production mail needs a domain you own`));
  }
  if (given("MAIL_INBOX_URL"))
    problems.push(problem("MAIL_INBOX_URL", "is the demo's local inbox: unset it in production"));
  if (given("CLOCK_FILE"))
    problems.push(problem("CLOCK_FILE", "must not be set in production: the clock cannot be moved there"));
  for (const key of BRAND_REQUIRED) if (!given(key)) problems.push(problem(key, "is required in production"));
  return problems;
}

function proxyRules({ values, onVercel }: Context): Problem[] {
  if (onVercel || values.CLIENT_IP_HEADER) return [];
  if (values.TRUSTED_PROXY_HOPS === undefined)
    return [
      problem(
        "TRUSTED_PROXY_HOPS",
        "is not set: say how client addresses reach the app, as TRUSTED_PROXY_HOPS (proxies appending X-Forwarded-For) or CLIENT_IP_HEADER (a header your platform sets); without one, per-client limits are off and X-PSU-IP is never sent",
      ),
    ];
  return values.TRUSTED_PROXY_HOPS === 0
    ? [
        problem(
          "TRUSTED_PROXY_HOPS",
          "=0 believes no client address, which turns per-client limits off: production needs a proxy",
        ),
      ]
    : [];
}

function pooledDatabaseRules({ values, given }: Context): Problem[] {
  if (!values.DATABASE_URL) return [];
  const runtime = databaseUrlOptions(values.DATABASE_URL);
  if (!runtime.pooled) return [];
  const problems: Problem[] = [];
  if (runtime.schema)
    problems.push(
      problem(
        "DATABASE_URL",
        "combines schema= with pgbouncer=true: a pooler refuses the search_path start-up option, so the app would not read that schema",
      ),
    );
  if (!given("DIRECT_URL"))
    problems.push(
      problem(
        "DIRECT_URL",
        "is required when DATABASE_URL goes through a pooler (pgbouncer=true): migrations need a direct connection",
      ),
    );
  return problems;
}

export const productionRules = [secretRules, truelayerRules, addressRules, proxyRules, pooledDatabaseRules];
