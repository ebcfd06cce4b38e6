import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { authAdapter } from "./options";
import { sendSignInEmail } from "./sign-in-email";

export const LINK_MAX_AGE_MS = 15 * 60 * 1000;
/** Unused links one address may hold at once; beyond that we stay quiet instead of mailing again. */
export const MAX_OUTSTANDING_LINKS = 3;

/** next-auth 4's hashToken: sha256(token + secret) in hex (core/lib/utils.js; no provider secret set). */
export function hashVerificationToken(token: string, secret: string): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}

export function emailCallbackUrl(token: string, email: string, callbackUrl: string): string {
  const params = new URLSearchParams({ callbackUrl, token, email });
  return `${env().APP_URL}/api/auth/callback/email?${params}`;
}

/** Until the oldest unused link expires and a new one may be sent (after "throttled"). */
export async function secondsUntilLinkSlot(email: string): Promise<number> {
  const oldest = await db().verificationToken.findFirst({
    where: { identifier: email, expires: { gt: new Date() } },
    orderBy: { expires: "asc" },
    select: { expires: true },
  });
  return oldest ? Math.max(1, Math.ceil((oldest.expires.getTime() - Date.now()) / 1000)) : 1;
}

// next-auth's email sign-in (core/lib/email/signin.js) without its CSRF round trip, so a server action can send it.
// Expiry uses the real time, not lib/clock: next-auth checks it against Date.now() on the callback.
export async function requestSignInLink(email: string, callbackUrl: string): Promise<"sent" | "throttled"> {
  const realNow = Date.now();
  const outstanding = await db().verificationToken.count({
    where: { identifier: email, expires: { gt: new Date(realNow) } },
  });
  if (outstanding >= MAX_OUTSTANDING_LINKS) return "throttled";
  await db().verificationToken.deleteMany({
    where: { identifier: email, expires: { lte: new Date(realNow) } },
  });

  const token = randomBytes(32).toString("hex");
  const adapter = authAdapter();
  if (!adapter.createVerificationToken) throw new Error("The auth adapter cannot store sign-in links.");
  await adapter.createVerificationToken({
    identifier: email,
    token: hashVerificationToken(token, env().AUTH_SECRET),
    expires: new Date(realNow + LINK_MAX_AGE_MS),
  });
  await sendSignInEmail({ to: email, url: emailCallbackUrl(token, email, callbackUrl) });
  return "sent";
}
