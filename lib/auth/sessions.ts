import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/** next-auth's session cookie name: `__Secure-` prefixed when the app is served over https. */
export function sessionCookieName(): string {
  return env().APP_URL.startsWith("https://")
    ? "__Secure-next-auth.session-token"
    : "next-auth.session-token";
}

/** Ends one database session; signing out elsewhere is untouched. */
export async function endSession(sessionToken: string): Promise<void> {
  await db().session.deleteMany({ where: { sessionToken } });
}
