"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { SIGNED_OUT, sessionAction } from "@/lib/auth/action";
import { recordFunnelEvents } from "@/lib/funnel/record";
import { tooManyMessage } from "@/lib/security/limits";
import { loadSessionSubmission, ReconfirmInput, reconfirmConnections } from "../reconfirm-workflow";

/** "Keep sharing with the selected banks": record the wording seen, then extend each chosen connection. */
export const reconfirmAction = sessionAction(
  ReconfirmInput,
  async (input, sessionToken) => {
    // The session is looked up in the statement that loads the submission (one round trip fewer).
    const submission = await loadSessionSubmission(input, sessionToken);
    if (!submission) return SIGNED_OUT;
    const { limit } = submission;
    if (!limit.allowed) {
      return {
        message: tooManyMessage("You've tried to renew access many times in the last few minutes.", limit),
      };
    }
    const result = await reconfirmConnections(input, submission.userId, submission);
    if (result.kind === "stale") {
      // The page re-renders with the current wording under this message.
      revalidatePath("/reconfirm");
      return { message: result.message };
    }
    if (result.kind === "refused") return { message: result.message };
    // Counting for the operator's funnel waits until the user has their answer (it never fails them).
    after(() => recordFunnelEvents(result.funnelEvents));
    revalidatePath("/", "layout");
    // One bank at a time: the first bank that needs the user; the others wait on the results page.
    redirect(result.firstLink ?? `/reconfirm/done?r=${encodeURIComponent(result.reconfirmationId)}`);
  },
  { arrays: ["connectionId", "shownConnectionId"], signInReturnTo: "/reconfirm" },
);
