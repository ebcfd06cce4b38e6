import "server-only";
import type { Writable } from "node:stream";
import { keyringFrom } from "@/lib/crypto/token-seal";
import { env } from "@/lib/env";
import { rotateTokenKey, valuesLeft } from "@/lib/security/rotate-token-key";

/** Re-seals every stored value with the current key; counts only. 1 while anything is left to do. */
export async function rotateCommand(out: Writable): Promise<number> {
  const config = env();
  const ring = keyringFrom(
    { id: config.TOKEN_ENCRYPTION_KEY_ID, key: config.TOKEN_ENCRYPTION_KEY },
    config.TOKEN_ENCRYPTION_OLD_KEYS,
  );
  const report = await rotateTokenKey(ring);
  for (const [table, c] of Object.entries(report)) {
    out.write(
      `${table}: ${c.checked} checked, ${c.rotated} re-sealed, ${c.current} already current, ${c.skipped} skipped (changed or in use; run again), ${c.unreadable} unreadable (no key for them)\n`,
    );
  }
  const left = valuesLeft(report);
  out.write(
    left === 0
      ? `Every sealed value now uses key "${ring.currentKeyId}".\n`
      : "Some rows are left; see above.\n",
  );
  return left > 0 ? 1 : 0;
}
