import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/env";

/**
 * Binds each trip to the bank to the browser that started it (RFC 9700 §4.7: the `state` alone binds
 * it to a user, so an auth link sent to someone else would land their bank in the sender's account).
 * An HttpOnly cookie holds a random value; the trip's row keeps only its hash. A return to /callback
 * is vouched for when that cookie matches, or when the browser's session is the trip owner's.
 * SameSite=Lax: it travels with the bank's top-level GET redirect back to us.
 */
export const BROWSER_COOKIE = "reconsent.browser";
/** Set in a browser that came back from a bank unvouched: only that browser can finish it. */
export const PARK_COOKIE = "reconsent.parked";
const MAX_AGE_S = 60 * 60;

export const hashBinding = (value: string) => createHash("sha256").update(value).digest("hex");

function cookieOptions(maxAge: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: env().APP_URL.startsWith("https://"),
    path: "/",
    maxAge,
  };
}

/** In a server action about to send the browser to its bank: the binding's hash (cookie set if new). */
export async function bindThisBrowser(): Promise<string> {
  const store = await cookies();
  const existing = store.get(BROWSER_COOKIE)?.value;
  const value = existing && /^[\w-]{43}$/.test(existing) ? existing : randomBytes(32).toString("base64url");
  store.set(BROWSER_COOKIE, value, cookieOptions(MAX_AGE_S));
  return hashBinding(value);
}

/** The hash of a binding cookie this request carries, if any. */
export async function browserBindingHash(name = BROWSER_COOKIE): Promise<string | null> {
  const value = (await cookies()).get(name)?.value;
  return value ? hashBinding(value) : null;
}

/** A fresh parking cookie for this browser; returns the hash to store beside the parked return. */
export async function parkInThisBrowser(): Promise<string> {
  const value = randomBytes(32).toString("base64url");
  (await cookies()).set(PARK_COOKIE, value, cookieOptions(30 * 60));
  return hashBinding(value);
}
