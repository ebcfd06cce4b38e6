import "server-only";
import { env } from "@/lib/env";

// Over https all our cookies are `__Host-` (ASVS 5.0 V3.3.1, decision 040); plain http cannot carry the prefix.
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
