import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { endReminderSessionsOf } from "./reminder-link";

export function sessionCookieName(): string {
  return env().APP_URL.startsWith("https://")
    ? "__Secure-next-auth.session-token"
    : "next-auth.session-token";
}

export async function markSessionAskedElsewhere(sessionToken: string): Promise<void> {
  await db().session.updateMany({ where: { sessionToken }, data: { linkAskedElsewhere: true } });
}

/** Ends one database session; signing out elsewhere is untouched. */
export async function endSession(sessionToken: string): Promise<void> {
  await db().session.deleteMany({ where: { sessionToken } });
}

/** Ends every session of a user: each device is signed out on its next request. */
export async function endAllSessions(userId: string): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { userId } });
  await endReminderSessionsOf(userId);
  return count;
}

export function sessionCookieOptions(maxAge?: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: env().APP_URL.startsWith("https://"),
    path: "/",
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}
