"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { recordSecurityEvent } from "@/lib/security/events";
import { authedAction } from "../action";
import { endAllSessions, endSession } from "../queries";
import { endReminderSession } from "../reminder-link";
import { reminderCookie, reminderCookieOptions } from "../reminder-session";
import { sessionCookieName, sessionCookieOptions } from "../session-cookie";
import { NoInput } from "./inputs";

async function clearSessionCookie(): Promise<string | undefined> {
  const store = await cookies();
  const token = store.get(sessionCookieName())?.value;
  store.set(sessionCookieName(), "", sessionCookieOptions(0));
  return token;
}

/** Ends the session this browser holds (deleted in the database, cookie cleared). Works without JS. */
export async function signOutAction(): Promise<never> {
  const token = await clearSessionCookie();
  if (token) await endSession(token);
  const store = await cookies();
  const reminder = store.get(reminderCookie())?.value;
  if (reminder) {
    store.set(reminderCookie(), "", reminderCookieOptions(0));
    await endReminderSession(reminder);
  }
  redirect("/signin?signedOut=1");
}

/** "Sign out of every device": every session of this user ends, this browser's included. */
export const signOutEverywhereAction = authedAction(
  NoInput,
  async (_input, user) => {
    await endAllSessions(user.id);
    await recordSecurityEvent({ kind: "SIGN_OUT_EVERYWHERE", userId: user.id });
    await clearSessionCookie();
    redirect("/signin?signedOut=all");
  },
  { signInReturnTo: "/settings" },
);
