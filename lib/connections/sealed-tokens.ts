import "server-only";
import { type Keyring, keyringFrom, open, seal } from "@/lib/crypto/token-seal";
import { env } from "@/lib/env";

let ring: Keyring | undefined;

function keyring(): Keyring {
  const config = env();
  ring ??= keyringFrom(
    { id: config.TOKEN_ENCRYPTION_KEY_ID, key: config.TOKEN_ENCRYPTION_KEY },
    config.TOKEN_ENCRYPTION_OLD_KEYS,
  );
  return ring;
}

export function sealSecret(plain: string): string {
  return seal(plain, keyring());
}

export function openSecret(sealed: string): string {
  return open(sealed, keyring());
}

/** Column values for a token pair; a missing refresh token is left out so the stored one stays. */
export function sealedTokenColumns(tokens: { accessToken: string; refreshToken?: string }) {
  return {
    accessTokenSealed: sealSecret(tokens.accessToken),
    ...(tokens.refreshToken ? { refreshTokenSealed: sealSecret(tokens.refreshToken) } : {}),
    tokenKeyId: keyring().currentKeyId,
  };
}
