import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Prefixed so a leaked value is recognisable in logs and secret scans. */
export function newSecret(prefix: "sbx_at_" | "sbx_rt_" | "sbx_code_"): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
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
