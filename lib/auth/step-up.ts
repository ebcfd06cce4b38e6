import "server-only";
import { redirect } from "next/navigation";
import { getCurrentSession } from "./session";
import type { CurrentSession } from "./session-user";

/** What an intruder would want (your data, deleting the account, operator pages) needs a sign-in this recent. */
export const STEP_UP_MS = 10 * 60 * 1000;

export function signedInRecently(session: Pick<CurrentSession, "signedInAt">, at = Date.now()): boolean {
  return at - session.signedInAt.getTime() < STEP_UP_MS;
}

export const stepUpPath = (returnTo: string) => `/signin/again?callbackUrl=${encodeURIComponent(returnTo)}`;

/** The session if its sign-in is recent, else a fresh link back to `returnTo`. Real clock, as the session's. */
export async function requireRecentSignIn(returnTo: string): Promise<CurrentSession> {
  const session = await getCurrentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!signedInRecently(session)) redirect(stepUpPath(returnTo));
  return session;
}
