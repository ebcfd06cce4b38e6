"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { setRemindersEnabled } from "@/lib/reminders/preferences";

// An unticked checkbox sends nothing, so absence means "off".
const ReminderPreferenceInput = z.object({ remindersEnabled: z.literal("on").optional() });

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
