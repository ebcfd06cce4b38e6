import { TrueLayerError } from "./errors";

const REDACTED = "[redacted]";

const SECRET_KEYS = new Set(
  [
    "access_token",
    "accessToken",
    "refresh_token",
    "refreshToken",
    "id_token",
    "client_secret",
    "clientSecret",
    "code",
    "code_verifier",
    "codeVerifier",
    "password",
    "authorization",
    "cookie",
    "set-cookie",
  ].map((key) => key.toLowerCase()),
);

const SECRET_PARAMS = "code|access_token|refresh_token|client_secret|code_verifier|id_token|password";

const STRING_PATTERNS: [RegExp, string][] = [
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED],
  [/\b(Bearer|Basic)\s+[\w\-.~+/=]+/gi, `$1 ${REDACTED}`],
  [new RegExp(`([?&#](?:${SECRET_PARAMS})=)[^&#\\s"']+`, "gi"), `$1${REDACTED}`],
  [new RegExp(`("(?:${SECRET_PARAMS})"\\s*:\\s*")[^"]*"`, "gi"), `$1${REDACTED}"`],
];

function redactString(value: string, known: readonly string[]): string {
  let out = value;
  for (const secret of known) {
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of STRING_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function walk(value: unknown, known: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactString(value, known);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof TrueLayerError) {
    // Its `code` is an error code, not an authorization code, so it bypasses the key rule.
    const { code, ...rest } = value.toJSON();
    return { ...walkRecord(rest, known, seen), code };
  }
  if (value instanceof Error) return { name: value.name, message: redactString(value.message, known) };
  if (value instanceof Date) return value.toISOString();
  if (value instanceof URL) return redactString(value.toString(), known);
  if (Array.isArray(value)) return value.map((item) => walk(item, known, seen));
  return walkRecord(value, known, seen);
}

function walkRecord(value: object, known: readonly string[], seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) && item != null ? REDACTED : walk(item, known, seen);
  }
  return out;
}

export function redact(value: unknown, knownSecrets: readonly string[] = []): unknown {
  return walk(value, knownSecrets, new WeakSet());
}

export function redactText(value: string, knownSecrets: readonly string[] = []): string {
  return redactString(value, knownSecrets);
}
