import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { now } from "@/lib/clock";
import { cookieName, hostCookieOptions } from "@/lib/security/cookie-name";
import { REMINDER_SESSION_MS, type ReminderSession, reminderSessionFor } from "./reminder-link";
import { getCurrentUser } from "./session";
import type { SessionUser } from "./session-user";

// Its own cookie, unread by getCurrentUser: what does not ask for it here sees it as signed out (decision 028).
export const reminderCookie = () => cookieName("reconsent.reminder-session");

export function reminderCookieOptions(maxAgeS = REMINDER_SESSION_MS / 1000) {
  return hostCookieOptions(maxAgeS);
}

export const getReminderSession = cache(
  async (): Promise<ReminderSession | null> =>
    reminderSessionFor((await cookies()).get(reminderCookie())?.value, now()),
);

/** The signed-in user (`only` null: no limit), else a reminder session limited to its banks. */
export type Actor = { user: SessionUser; only: ReadonlySet<string> | null };

export const getActor = cache(async (): Promise<Actor | null> => {
  const user = await getCurrentUser();
  if (user) return { user, only: null };
  const reminder = await getReminderSession();
  return reminder ? { user: reminder.user, only: reminder.connectionIds } : null;
});

export function mayTouch(actor: Actor, connectionIds: Iterable<string>): boolean {
  const { only } = actor;
  if (!only) return true;
  for (const id of connectionIds) if (!only.has(id)) return false;
  return true;
}

export function toSignIn(returnTo: string): never {
  redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
}

/** For the pages a reminder link leads to; anything outside its banks is treated as signed out. */
export async function requireActor(returnTo: string, connectionIds: Iterable<string> = []): Promise<Actor> {
  const actor = await getActor();
  if (!actor || !mayTouch(actor, connectionIds)) toSignIn(returnTo);
  return actor;
}
