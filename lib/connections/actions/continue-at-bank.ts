"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { extendOne } from "../extend";
import { getReconfirmationItem, getUserProfile } from "../reconfirm-queries";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const ContinueInput = z.object({ reconfirmationId: id, connectionId: id });

/**
 * "Continue to <bank>": the next bank of a reconfirmation the user already agreed to. Bank links work
 * once, so extend is asked for a fresh one now rather than reusing the first call's.
 */
export const continueAtBankAction = authedAction(
  ContinueInput,
  async ({ reconfirmationId, connectionId }, user) => {
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
      user: { name: profile.name, email: profile.email },
      freshLink: true,
    });
    revalidatePath("/", "layout");
    if (outcome.kind === "bank" && outcome.userInputLink) redirect(outcome.userInputLink);
    redirect(`/reconfirm/done?r=${encodeURIComponent(reconfirmationId)}`);
  },
  { signInReturnTo: "/connections" },
);
