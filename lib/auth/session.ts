import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { findSessionAndUser, SESSION_IDLE_MS } from "./session-queries";
import { sessionCookieName } from "./sessions";

export type SessionUser = { id: string; email: string; name: string | null };

// Our own statement, not a trip through next-auth's handler (docs/decisions/013-hot-path-sql.md); once per request.
// Every page, action and route calls this (or requireUser) itself.
export const getCurrentUser = cache(
  async (): Promise<SessionUser | null> =>
    userForSessionToken((await cookies()).get(sessionCookieName())?.value),
);

export async function userForSessionToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const found = await findSessionAndUser(token);
  const at = Date.now();
  if (!found || found.session.expires.getTime() <= at) return null;
  if (found.session.lastSeenAt.getTime() <= at - SESSION_IDLE_MS) return null;
  const { id, email, name } = found.user;
  return email ? { id, email, name: name ?? null } : null;
}

export async function requireUser(returnTo = "/connections"): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
