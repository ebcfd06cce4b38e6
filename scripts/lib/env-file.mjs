// Reads and writes dotenv-style files (KEY=VALUE lines), enough for .env.local.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export function readEnvFile(file) {
  if (!existsSync(file)) return {};
  const out = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match) out[match[1]] = match[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}

export function writeEnvFile(file, values, header) {
  const body = Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
  writeFileSync(file, `${header ? `# ${header}\n` : ""}${body}\n`, { mode: 0o600 });
}

export const secret = (bytes = 32) => randomBytes(bytes).toString("base64url");
export const key32 = () => randomBytes(32).toString("base64");

/** Fresh secrets for a local run: never the placeholder values of .env.example. */
export function localSecrets(clientIdSuffix) {
  return {
    AUTH_SECRET: secret(),
    TOKEN_ENCRYPTION_KEY: key32(),
    TOKEN_ENCRYPTION_KEY_ID: "k1",
    TRUELAYER_CLIENT_ID: `sandbox-reconsent-${clientIdSuffix}`,
    TRUELAYER_CLIENT_SECRET: secret(),
    CRON_SECRET: secret(),
  };
}
