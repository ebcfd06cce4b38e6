import "server-only";
import { env } from "@/lib/env";
import { keyIdsInUse } from "./sealed";

export async function missingSealingKeys(): Promise<string[]> {
  const config = env();
  const provided = new Set([
    config.TOKEN_ENCRYPTION_KEY_ID,
    ...(config.TOKEN_ENCRYPTION_OLD_KEYS ?? "")
      .split(",")
      .map((entry) => entry.split(":")[0]?.trim())
      .filter(Boolean),
  ]);
  return (await keyIdsInUse()).filter((id) => !provided.has(id));
}
