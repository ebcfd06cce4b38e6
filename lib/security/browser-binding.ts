import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { sha256Hex } from "@/lib/crypto/sha256";
import { cookieName, hostCookieOptions } from "./cookie-name";

// RFC 9700 §4.5, §4.7: a trip's secret lives only in this browser's cookie and, hashed, on its row (decision 044).
const TRIPS = "reconsent.trips";
// Before per-trip secrets, one value per browser did this job: trips started then still match it for an hour.
const LEGACY_COOKIE = "reconsent.browser";
// Set in a browser that came back from a bank unvouched: only that browser can finish it.
const PARKED = "reconsent.parked";
const TRIP_S = 60 * 60;
const MAX_TRIPS = 8;
const SECRET = /^[\w-]{43}$/;

export const cookieOptions = (maxAge: number) => hostCookieOptions(maxAge);

function secretsIn(value: string | undefined): string[] {
  return (value ?? "").split(".").filter((s) => SECRET.test(s));
}

export async function startTrip(): Promise<string> {
  const store = await cookies();
  const secret = randomBytes(32).toString("base64url");
  const kept = secretsIn(store.get(cookieName(TRIPS))?.value).slice(0, MAX_TRIPS - 1);
  store.set(cookieName(TRIPS), [secret, ...kept].join("."), cookieOptions(TRIP_S));
  return sha256Hex(secret);
}

export async function tripHashes(): Promise<string[]> {
  const store = await cookies();
  const legacy = store.get(LEGACY_COOKIE)?.value;
  return [...secretsIn(store.get(cookieName(TRIPS))?.value), ...(legacy ? [legacy] : [])].map(sha256Hex);
}

export async function browserBindingHash(): Promise<string | null> {
  const value = (await cookies()).get(cookieName(PARKED))?.value;
  return value ? sha256Hex(value) : null;
}

export async function parkInThisBrowser(): Promise<string> {
  const value = randomBytes(32).toString("base64url");
  (await cookies()).set(cookieName(PARKED), value, cookieOptions(30 * 60));
  return sha256Hex(value);
}

// A `__Host-` cookie is only replaced by a Secure, Path=/ one, which a bare delete is not.
export async function forgetParkInThisBrowser(): Promise<void> {
  (await cookies()).set(cookieName(PARKED), "", cookieOptions(0));
}
