import "server-only";
import { env } from "@/lib/env";

// Over https every cookie of ours is `__Host-`: the browser then refuses it unless it is Secure, for the whole
// site (Path=/) and set by this host alone (no Domain), so a sibling subdomain cannot plant or shadow it
// (ASVS 5.0 V3.3.1, decision 040). Plain http (development, the e2e stack) cannot carry the prefix.
export const overHttps = () => env().APP_URL.startsWith("https://");

export function cookieName(base: string): string {
  return overHttps() ? `__Host-${base}` : base;
}

export function hostCookieOptions(maxAge?: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: overHttps(),
    path: "/",
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}
