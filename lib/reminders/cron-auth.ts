import { createHash, timingSafeEqual } from "node:crypto";

export type CronAuthorization = "ok" | "unconfigured" | "denied";

const digest = (value: string) => createHash("sha256").update(value).digest();

// Both sides are hashed first, so the constant-time compare sees equal lengths and the secret's length does not leak.
export function checkCronAuthorization(header: string | null, secret: string | undefined): CronAuthorization {
  if (!secret) return "unconfigured";
  if (!header) return "denied";
  return timingSafeEqual(digest(header), digest(`Bearer ${secret}`)) ? "ok" : "denied";
}
