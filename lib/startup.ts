import "server-only";
import { EnvError, env } from "./env";

export function checkEnvironmentOrExit(): void {
  try {
    env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

// A key that stored tokens still need must not be dropped unnoticed until the nightly job: say which, and stop.
export async function checkSealingKeysOrExit(): Promise<void> {
  const { missingSealingKeys } = await import("./connections/custody/keys");
  let missing: string[];
  try {
    missing = await missingSealingKeys();
  } catch (error) {
    console.warn("Could not check which token keys stored values need:", (error as Error).name);
    return;
  }
  if (missing.length === 0) return;
  console.error(
    `Stored tokens are sealed with key ${missing.map((id) => `"${id}"`).join(", ")}, which TOKEN_ENCRYPTION_KEY_ID and TOKEN_ENCRYPTION_OLD_KEYS no longer provide. Put it back in TOKEN_ENCRYPTION_OLD_KEYS, run npm run rotate-token-key, and drop it only once that exits 0.`,
  );
  process.exit(1);
}
