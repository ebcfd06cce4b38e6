// `npm run rotate-token-key`: re-seals every stored token and PKCE verifier with TOKEN_ENCRYPTION_KEY
// (id TOKEN_ENCRYPTION_KEY_ID), opening old values with TOKEN_ENCRYPTION_OLD_KEYS ("id:key,id:key").
// Prints counts only. Exit code 1 while anything is left to do (skipped or unreadable rows).
import path from "node:path";
import { readEnvFile } from "./lib/env-file.mjs";

for (const [key, value] of Object.entries(readEnvFile(path.resolve(import.meta.dirname, "../.env.local"))))
  process.env[key] ??= value;

const { env } = await import("@/lib/env");
const { db } = await import("@/lib/db");
const { keyringFrom } = await import("@/lib/crypto/token-seal");
const { rotateTokenKey, valuesLeft } = await import("@/lib/security/rotate-token-key");

const config = env();
const ring = keyringFrom(
  { id: config.TOKEN_ENCRYPTION_KEY_ID, key: config.TOKEN_ENCRYPTION_KEY },
  config.TOKEN_ENCRYPTION_OLD_KEYS,
);
try {
  const report = await rotateTokenKey(db(), ring);
  for (const [table, c] of Object.entries(report)) {
    process.stdout.write(
      `${table}: ${c.checked} checked, ${c.rotated} re-sealed, ${c.current} already current, ${c.skipped} skipped (changed or in use; run again), ${c.unreadable} unreadable (no key for them)\n`,
    );
  }
  const left = valuesLeft(report);
  process.stdout.write(
    left === 0
      ? `Every sealed value now uses key "${ring.currentKeyId}".\n`
      : "Some rows are left; see above.\n",
  );
  if (left > 0) process.exitCode = 1;
} finally {
  await db().$disconnect();
}
