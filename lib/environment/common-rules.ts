import { type Context, hostOf, type Problem, problem } from "./context";
import { databaseUrlOptions, SCHEMA_NAME } from "./database-url";
import { isThisMachine } from "./hosts";

const KEY_ID = /^[a-z0-9-]{1,32}$/;

function modeRules({ values, mode, onVercel }: Context): Problem[] {
  if (mode === "production" || !values.APP_URL) return [];
  const host = hostOf(values.APP_URL);
  return onVercel || !host || !isThisMachine(host)
    ? [problem("RECONSENT_MODE", `is ${mode}, which is only allowed for a local APP_URL and never on Vercel`)]
    : [];
}

function appUrlRules({ values }: Context): Problem[] {
  if (!values.APP_URL) return [];
  const url = new URL(values.APP_URL);
  return url.pathname !== "/" || url.search || url.hash
    ? [problem("APP_URL", "must be an origin only (scheme, host and port): the app is served at its root")]
    : [];
}

function clientIdRules({ values, target }: Context): Problem[] {
  const id = values.TRUELAYER_CLIENT_ID;
  if (!id) return [];
  if (target === "production" && id.startsWith("sandbox-"))
    return [
      problem("TRUELAYER_CLIENT_ID", "is a sandbox app's id (sandbox-…) but TRUELAYER_TARGET=production"),
    ];
  if (target === "sandbox" && !id.startsWith("sandbox-"))
    return [
      problem("TRUELAYER_CLIENT_ID", "must be a sandbox app's id (sandbox-…) when TRUELAYER_TARGET=sandbox"),
    ];
  return [];
}

function simulatorRules({ values, mode, target }: Context): Problem[] {
  if (mode === "production" || target !== "simulator") return [];
  return values.TRUELAYER_AUTH_URL && values.TRUELAYER_API_URL
    ? []
    : [problem("TRUELAYER_AUTH_URL", "and TRUELAYER_API_URL are required when TRUELAYER_TARGET=simulator")];
}

// Names entries by position and id, never by key.
function oldKeyRules({ values }: Context): Problem[] {
  if (!values.TOKEN_ENCRYPTION_OLD_KEYS) return [];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  values.TOKEN_ENCRYPTION_OLD_KEYS.split(",").forEach((entry, index) => {
    const [id = "", key = "", ...rest] = entry.trim().split(":");
    const name = `entry ${index + 1}${KEY_ID.test(id) ? ` (${id})` : ""}`;
    if (!KEY_ID.test(id) || rest.length > 0 || Buffer.from(key, "base64").length !== 32)
      problems.push(problem("TOKEN_ENCRYPTION_OLD_KEYS", `${name} must be id:key with a 32-byte base64 key`));
    else if (id === values.TOKEN_ENCRYPTION_KEY_ID)
      problems.push(
        problem("TOKEN_ENCRYPTION_OLD_KEYS", `${name} reuses the current TOKEN_ENCRYPTION_KEY_ID`),
      );
    else if (seen.has(id)) problems.push(problem("TOKEN_ENCRYPTION_OLD_KEYS", `${name} repeats an id`));
    seen.add(id);
  });
  return problems;
}

function databaseRules({ values }: Context): Problem[] {
  const problems: Problem[] = [];
  const runtime = values.DATABASE_URL ? databaseUrlOptions(values.DATABASE_URL) : undefined;
  const direct = values.DIRECT_URL ? databaseUrlOptions(values.DIRECT_URL) : undefined;
  for (const [key, options] of [
    ["DATABASE_URL", runtime],
    ["DIRECT_URL", direct],
  ] as const) {
    if (options?.schema && !SCHEMA_NAME.test(options.schema))
      problems.push(problem(key, "has a schema= that is not a plain schema name"));
  }
  const limit = runtime?.connectionLimit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 50))
    problems.push(problem("DATABASE_URL", "has a connection_limit that is not a whole number from 1 to 50"));
  else if (
    limit !== undefined &&
    values.DATABASE_POOL_SIZE !== undefined &&
    limit !== values.DATABASE_POOL_SIZE
  )
    problems.push(problem("DATABASE_POOL_SIZE", "disagrees with connection_limit in DATABASE_URL: set one"));
  if (direct?.pooled)
    problems.push(
      problem("DIRECT_URL", "must reach PostgreSQL directly, not through a pooler (pgbouncer=true)"),
    );
  if (direct && runtime && (direct.schema ?? "public") !== (runtime.schema ?? "public"))
    problems.push(
      problem(
        "DIRECT_URL",
        "names another schema than DATABASE_URL: migrations would build one the app does not read",
      ),
    );
  return problems;
}

function proxyRules({ values }: Context): Problem[] {
  const header = values.CLIENT_IP_HEADER;
  if (!header) return [];
  if (header === "x-forwarded-for" || header === "forwarded")
    return [
      problem("CLIENT_IP_HEADER", `cannot be ${header}, which clients write too: use TRUSTED_PROXY_HOPS`),
    ];
  return values.TRUSTED_PROXY_HOPS !== undefined
    ? [problem("CLIENT_IP_HEADER", "and TRUSTED_PROXY_HOPS are both set: choose one")]
    : [];
}

export const commonRules = [
  modeRules,
  appUrlRules,
  clientIdRules,
  simulatorRules,
  oldKeyRules,
  databaseRules,
  proxyRules,
];
