"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { limitReconfirm, tooManyMessage } from "@/lib/security/limits";
import { ReconfirmInput, reconfirmConnections } from "../reconfirm-workflow";

/** "Keep sharing with the selected banks": record the wording seen, then extend each chosen connection. */
export const reconfirmAction = authedAction(
  ReconfirmInput,
  async (input, user) => {
    const limit = await limitReconfirm(user.id);
    if (!limit.allowed) {
      return {
        message: tooManyMessage("You've tried to renew access many times in the last few minutes.", limit),
      };
    }
    const result = await reconfirmConnections(input, user.id);
    if (result.kind === "stale") {
      // The page re-renders with the current wording under this message.
      revalidatePath("/reconfirm");
      return { message: result.message };
    }
    if (result.kind === "refused") return { message: result.message };
    revalidatePath("/", "layout");
    // One bank at a time: the first bank that needs the user; the others wait on the results page.
    redirect(result.firstLink ?? `/reconfirm/done?r=${encodeURIComponent(result.reconfirmationId)}`);
  },
  { arrays: ["connectionId", "shownConnectionId"], signInReturnTo: "/reconfirm" },
);
