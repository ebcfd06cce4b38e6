import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Prefixed so a leaked value is recognisable in logs and secret scans. */
export function newSecret(prefix: "sbx_rt_" | "sbx_code_"): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

// TrueLayer's access tokens are JWTs (TL blog "managing tokens"; its JS client refuses anything else).
// The fixed header (its `kid`) is the marker scripts/lib/secret-scan.mjs looks for.
export const ACCESS_TOKEN_HEADER = { alg: "HS256", typ: "JWT", kid: "sbx-simulator" } as const;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A signed JWT-shaped access token; the simulator itself finds tokens by hash, never by reading one. */
export function newAccessToken(
  key: Buffer,
  claims: { clientId: string; issuedAt: number; expiresAt: number },
) {
  const payload = {
    sbx: "at",
    iss: "reconsent-truelayer-simulator",
    client_id: claims.clientId,
    iat: Math.floor(claims.issuedAt / 1000),
    exp: Math.floor(claims.expiresAt / 1000),
    jti: randomBytes(32).toString("base64url"),
  };
  const unsigned = `${base64url(ACCESS_TOKEN_HEADER)}.${base64url(payload)}`;
  return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

export function newId(bytes = 16): string {
  return randomBytes(bytes).toString("base64url");
}

/** Real credentials ids are base64 (with + / =); keep that so callers must URL-encode them. */
export function newCredentialsId(): string {
  return randomBytes(16).toString("base64");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
