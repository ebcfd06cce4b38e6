import "server-only";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";

export type SessionUser = { id: string; email: string; name: string | null };

/** The signed-in user, or null. Every page, action and route calls this (or requireUser) itself. */
export async function getCurrentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; email?: string | null; name?: string | null } | undefined;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email, name: user.name ?? null };
}

/** For signed-in pages: sends a visitor to sign in, and back here afterwards. */
export async function requireUser(returnTo = "/connections"): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
