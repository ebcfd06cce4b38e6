import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/env";

// RFC 9700 §4.5 and §4.7: every trip to the bank (connect, reconnect, extend's bank step) gets a secret of its own
// that lives only in this browser's cookie and, hashed, on the trip's row. TrueLayer never sees it (extend takes
// no `state`, and the redirect URI must match the allow-list exactly), so a return is tied to the browser that
// left even when the bank echoes nothing. SameSite=Lax travels with the bank's top-level redirect back.
export const TRIPS_COOKIE = "reconsent.trips";
// Before per-trip secrets, one value per browser did this job: trips started then still match it for an hour.
const LEGACY_COOKIE = "reconsent.browser";
// Set in a browser that came back from a bank unvouched: only that browser can finish it.
export const PARK_COOKIE = "reconsent.parked";
const TRIP_S = 60 * 60;
const MAX_TRIPS = 8;
const SECRET = /^[\w-]{43}$/;

export const hashBinding = (value: string) => createHash("sha256").update(value).digest("hex");

export function cookieOptions(maxAge: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: env().APP_URL.startsWith("https://"),
    path: "/",
    maxAge,
  };
}

function secretsIn(value: string | undefined): string[] {
  return (value ?? "").split(".").filter((s) => SECRET.test(s));
}

/** A new trip's secret, added to this browser's cookie; its hash goes on the trip's row. */
export async function startTrip(): Promise<string> {
  const store = await cookies();
  const secret = randomBytes(32).toString("base64url");
  const kept = secretsIn(store.get(TRIPS_COOKIE)?.value).slice(0, MAX_TRIPS - 1);
  store.set(TRIPS_COOKIE, [secret, ...kept].join("."), cookieOptions(TRIP_S));
  return hashBinding(secret);
}

/** The hashes of the trips this browser started (newest first). */
export async function tripHashes(): Promise<string[]> {
  const store = await cookies();
  const legacy = store.get(LEGACY_COOKIE)?.value;
  return [...secretsIn(store.get(TRIPS_COOKIE)?.value), ...(legacy ? [legacy] : [])].map(hashBinding);
}

export async function browserBindingHash(name = PARK_COOKIE): Promise<string | null> {
  const value = (await cookies()).get(name)?.value;
  return value ? hashBinding(value) : null;
}

export async function parkInThisBrowser(): Promise<string> {
  const value = randomBytes(32).toString("base64url");
  (await cookies()).set(PARK_COOKIE, value, cookieOptions(30 * 60));
  return hashBinding(value);
}
