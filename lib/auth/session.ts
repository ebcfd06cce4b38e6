import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { findSessionAndUser, SESSION_IDLE_MS } from "./queries";
import { sessionCookieName } from "./session-cookie";
import type { CurrentSession, SessionUser } from "./session-user";

// Our own statement (decision 013), once per request; every page, action and route calls it (or requireUser) itself.
export const getCurrentSession = cache(
  async (): Promise<CurrentSession | null> =>
    sessionForToken((await cookies()).get(sessionCookieName())?.value),
);

export const getCurrentUser = cache(
  async (): Promise<SessionUser | null> => (await getCurrentSession())?.user ?? null,
);

export async function sessionForToken(token: string | undefined): Promise<CurrentSession | null> {
  if (!token) return null;
  const found = await findSessionAndUser(token);
  const at = Date.now();
  if (!found || found.session.expires.getTime() <= at) return null;
  if (found.session.lastSeenAt.getTime() <= at - SESSION_IDLE_MS) return null;
  const { id, email, name } = found.user;
  if (!email) return null;
  return {
    user: { id, email, name: name ?? null },
    signedInAt: found.session.createdAt,
    linkAskedElsewhere: found.session.linkAskedElsewhere,
  };
}

export async function userForSessionToken(token: string | undefined): Promise<SessionUser | null> {
  return (await sessionForToken(token))?.user ?? null;
}

export async function requireUser(returnTo = "/connections"): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
