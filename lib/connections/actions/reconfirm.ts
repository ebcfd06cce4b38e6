"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { startTrip } from "@/lib/security/browser-binding";
import { tooManyMessage } from "@/lib/security/limits";
import { readBalancesAfterRenewal, renewalReadClaim } from "../balances/refresh";
import { loadSubmission, ReconfirmInput, reconfirmConnections } from "../reconfirm/workflow";

export const reconfirmAction = authedAction(
  ReconfirmInput,
  async (input, user) => {
    const submission = await loadSubmission(input, user.id);
    const { limit } = submission;
    if (!limit.allowed) {
      return {
        message: tooManyMessage("You've tried to renew access many times in the last few minutes.", limit),
      };
    }
    const result = await reconfirmConnections(
      input,
      user.id,
      submission,
      startTrip,
      await renewalReadClaim(),
    );
    if (result.kind === "stale") {
      // The page re-renders with the current wording under this message.
      revalidatePath("/reconfirm");
      return { message: result.message };
    }
    if (result.kind === "refused") return { message: result.message };
    if (result.kind === "stopped")
      redirect(`/reconfirm?${new URLSearchParams(result.connectionIds.map((id) => ["stopped", id]))}`);
    // New balances (claimed where each renewal was stored) and operator funnel counts: one statement, never failing.
    await readBalancesAfterRenewal(
      result.outcomes.flatMap(({ outcome }) =>
        outcome.kind === "extended" && outcome.read ? [outcome.read] : [],
      ),
      result.funnelEvents,
    );
    revalidatePath("/", "layout");
    // One bank: straight to its bank when it needs the user. Several: the results page first says what is done
    // and what the bank trip is for; its "Continue to <bank>" asks for the bank's page then.
    const several = result.outcomes.length > 1;
    redirect(
      (!several && result.firstLink) || `/reconfirm/done?r=${encodeURIComponent(result.reconfirmationId)}`,
    );
  },
  {
    arrays: ["connectionId", "shownConnectionId"],
    signInReturnTo: "/reconfirm",
    reminderLink: (input) => [...input.connectionId, ...input.shownConnectionId],
  },
);
