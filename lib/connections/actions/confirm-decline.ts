"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { getCurrentUser } from "@/lib/auth/session";
import { declineAndStop } from "../decline";
import { bankList } from "../status-words";
import { ConfirmDeclineInput } from "./inputs";

export const confirmDeclineAction = authedAction(
  ConfirmDeclineInput,
  async ({ connectionId }, user) => {
    const result = await declineAndStop(user.id, connectionId);
    if (!result.ok) return { message: "We couldn't find those banks in your account. Nothing was changed." };
    revalidatePath("/", "layout");
    if (result.busy.length > 0) {
      return {
        message: `${bankList(result.busy)} ${result.busy.length === 1 ? "is" : "are"} being updated right now, so sharing from ${result.busy.length === 1 ? "it" : "them"} has not stopped yet. Please try again in a minute.`,
      };
    }
    // A reminder link's session has no dashboard: the stop page of the (first) bank says what happened.
    if (!(await getCurrentUser()) && result.stopped[0]) {
      redirect(`/connections/${encodeURIComponent(result.stopped[0])}/stop`);
    }
    redirect(`/connections?${new URLSearchParams(result.stopped.map((c) => ["stopped", c])).toString()}`);
  },
  {
    arrays: ["connectionId"],
    signInReturnTo: "/connections",
    reminderLink: (input) => [...input.connectionId],
  },
);
