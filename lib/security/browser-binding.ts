import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/env";

// RFC 9700 §4.7: `state` alone binds a trip to a user, so an auth link sent to someone else would land their bank in
// the sender's account. The row keeps only the cookie's hash; SameSite=Lax travels with the bank's redirect back.
export const BROWSER_COOKIE = "reconsent.browser";
// Set in a browser that came back from a bank unvouched: only that browser can finish it.
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

export async function bindThisBrowser(): Promise<string> {
  const store = await cookies();
  const existing = store.get(BROWSER_COOKIE)?.value;
  const value = existing && /^[\w-]{43}$/.test(existing) ? existing : randomBytes(32).toString("base64url");
  store.set(BROWSER_COOKIE, value, cookieOptions(MAX_AGE_S));
  return hashBinding(value);
}

export async function browserBindingHash(name = BROWSER_COOKIE): Promise<string | null> {
  const value = (await cookies()).get(name)?.value;
  return value ? hashBinding(value) : null;
}

export async function parkInThisBrowser(): Promise<string> {
  const value = randomBytes(32).toString("base64url");
  (await cookies()).set(PARK_COOKIE, value, cookieOptions(30 * 60));
  return hashBinding(value);
}
