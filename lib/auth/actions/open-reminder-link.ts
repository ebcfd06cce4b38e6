"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { now } from "@/lib/clock";
import { type ActionState, submittedForm } from "../action";
import { openReminderLink } from "../reminder-link";
import { getActor, reminderCookie, reminderCookieOptions } from "../reminder-session";
import { OpenReminderLinkInput } from "./inputs";

const AFTER = "/reconfirm?src=reminder";

// Public: the reminder mail's token is the credential. Never echoed back in the state.
export async function openReminderLinkAction(
  previous: ActionState | FormData | undefined,
  submitted?: FormData,
): Promise<ActionState> {
  const formData = submittedForm(previous, submitted);
  const parsed = OpenReminderLinkInput.safeParse({ token: formData.get("token") });
  const session = parsed.success ? await openReminderLink(parsed.data.token, now()) : null;
  if (session) {
    (await cookies()).set(reminderCookie(), session, reminderCookieOptions());
    redirect(AFTER);
  }
  // Pressed twice, or already signed in: this browser can go on anyway.
  if (await getActor()) redirect(AFTER);
  return { message: "This link has already been used or has expired." };
}
