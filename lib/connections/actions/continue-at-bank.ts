"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { startTrip } from "@/lib/security/browser-binding";
import { limitReconfirm, tooManyMessage } from "@/lib/security/limits";
import { getUserProfile } from "@/lib/users/queries";
import { extendOne } from "../reconfirm/extend-one";
import { extendUserFor } from "../reconfirm/extend-user";
import { getReconfirmationItem } from "../store/reconfirmations";
import { ContinueInput } from "./inputs";

// Bank links work once, so extend is asked for a fresh one rather than reusing the first call's.
export const continueAtBankAction = authedAction(
  ContinueInput,
  async ({ reconfirmationId, connectionId }, user) => {
    // Counted with reconfirm: both ask TrueLayer to extend.
    const limit = await limitReconfirm(user.id);
    if (!limit.allowed) {
      return {
        message: tooManyMessage("You've tried to renew access many times in the last few minutes.", limit),
      };
    }
    const record = await getReconfirmationItem(reconfirmationId, connectionId, user.id);
    const profile = await getUserProfile(user.id);
    if (!record || !profile?.name || !profile.email) {
      return { message: "We couldn't continue with that bank. Please start again from your connections." };
    }
    const outcome = await extendOne({
      connectionId,
      userId: user.id,
      reconfirmationId,
      copyHash: record.copyHash,
      user: extendUserFor({
        truelayerUserId: profile.truelayerUserId,
        name: profile.name,
        email: profile.email,
      }),
      freshLink: true,
      startTrip,
    });
    revalidatePath("/", "layout");
    if (outcome.kind === "bank" && outcome.userInputLink) redirect(outcome.userInputLink);
    redirect(`/reconfirm/done?r=${encodeURIComponent(reconfirmationId)}`);
  },
  { signInReturnTo: "/connections", reminderLink: (input) => [input.connectionId] },
);
