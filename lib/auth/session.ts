import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { findSessionAndUser, SESSION_IDLE_MS } from "./session-queries";
import { sessionCookieName } from "./sessions";

export type SessionUser = { id: string; email: string; name: string | null };

/**
 * The signed-in user, or null. Every page, action and route calls this (or requireUser) itself.
 * next-auth signs users in and out; reading its database session here is one statement of our own
 * instead of a trip through next-auth's handler (docs/decisions/013-hot-path-sql.md). A session holds
 * until its expiry by the real clock, as next-auth itself judges it. Looked up once per request however
 * many layouts and pages ask.
 */
export const getCurrentUser = cache(
  async (): Promise<SessionUser | null> =>
    userForSessionToken((await cookies()).get(sessionCookieName())?.value),
);

/** The user a session cookie's token belongs to, while the session lasts and has not been idle too long. */
export async function userForSessionToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const found = await findSessionAndUser(token);
  const at = Date.now();
  if (!found || found.session.expires.getTime() <= at) return null;
  if (found.session.lastSeenAt.getTime() <= at - SESSION_IDLE_MS) return null;
  const { id, email, name } = found.user;
  return email ? { id, email, name: name ?? null } : null;
}

/** For signed-in pages: sends a visitor to sign in, and back here afterwards. */
export async function requireUser(returnTo = "/connections"): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
