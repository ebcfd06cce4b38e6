import "server-only";
import { cookieName, hostCookieOptions } from "@/lib/security/cookie-name";

// `__Host-` over https (decision 040); next-auth is told the same name (lib/auth/options.ts).
export function sessionCookieName(): string {
  return cookieName("next-auth.session-token");
}

export const sessionCookieOptions = hostCookieOptions;
