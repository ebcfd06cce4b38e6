import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { authAdapter } from "./options";
import { retireOlderSignInLinks } from "./queries";
import { sendSignInEmail } from "./sign-in-email";

export const LINK_MAX_AGE_MS = 15 * 60 * 1000;
/** Live links one address may hold at once; a new one retires the oldest. */
export const MAX_OUTSTANDING_LINKS = 3;

/** next-auth 4's hashToken: sha256(token + secret) in hex (core/lib/utils.js; no provider secret set). */
export function hashVerificationToken(token: string, secret: string): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}

export function emailCallbackUrl(token: string, email: string, callbackUrl: string): string {
  const params = new URLSearchParams({ callbackUrl, token, email });
  return `${env().APP_URL}/api/auth/callback/email?${params}`;
}

// next-auth's email sign-in (core/lib/email/signin.js) minus its CSRF round trip, for a server action; real-time
// expiry (the callback checks Date.now()), not lib/clock. Old links retire once the new one is sent (decision 039).
export async function requestSignInLink(
  email: string,
  callbackUrl: string,
  keep: number = MAX_OUTSTANDING_LINKS - 1,
): Promise<void> {
  const realNow = Date.now();
  const token = randomBytes(32).toString("hex");
  const hashed = hashVerificationToken(token, env().AUTH_SECRET);
  const adapter = authAdapter();
  if (!adapter.createVerificationToken) throw new Error("The auth adapter cannot store sign-in links.");
  await adapter.createVerificationToken({
    identifier: email,
    token: hashed,
    expires: new Date(realNow + LINK_MAX_AGE_MS),
  });
  await sendSignInEmail({ to: email, url: emailCallbackUrl(token, email, callbackUrl) });
  await retireOlderSignInLinks(email, hashed, keep);
}
