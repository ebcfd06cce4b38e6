"use server";
import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/auth/action";
import { setRemindersEnabled } from "@/lib/reminders/preferences";
import { ReminderPreferenceInput } from "./inputs";

/** The signed-in user's own choice of reminder emails; it touches no other row. */
export const reminderPreferenceAction = authedAction(
  ReminderPreferenceInput,
  async ({ remindersEnabled }, user) => {
    const enabled = remindersEnabled === "on";
    await setRemindersEnabled(user.id, enabled);
    revalidatePath("/settings");
    return {
      ok: true,
      message: enabled ? "We will email you before access ends." : "We will not email you reminders.",
    };
  },
  { signInReturnTo: "/settings" },
);
