import "server-only";
import { db } from "@/lib/db";
import { cookieName, hostCookieOptions } from "@/lib/security/cookie-name";
import { endReminderSessionsOf } from "./reminder-link";

// `__Host-` over https (decision 040); next-auth is told the same name (lib/auth/options.ts).
export function sessionCookieName(): string {
  return cookieName("next-auth.session-token");
}

export async function markSessionAskedElsewhere(sessionToken: string): Promise<void> {
  await db().session.updateMany({ where: { sessionToken }, data: { linkAskedElsewhere: true } });
}

export async function sessionUserId(sessionToken: string): Promise<string | null> {
  return (
    (await db().session.findUnique({ where: { sessionToken }, select: { userId: true } }))?.userId ?? null
  );
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

export const sessionCookieOptions = hostCookieOptions;
