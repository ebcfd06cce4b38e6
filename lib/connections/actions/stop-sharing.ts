"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { stopSharing } from "../stop-sharing";
import { StopSharingInput } from "./inputs";

/** Stops a connection the signed-in user owns; anyone else's id is "not found". */
export const stopSharingAction = authedAction(
  StopSharingInput,
  async ({ connectionId }, user) => {
    const result = await stopSharing(user.id, connectionId);
    if (!result.ok) {
      return {
        message:
          result.problem === "busy"
            ? "This connection is being updated right now. Please try again in a minute."
            : "We couldn't find that bank connection.",
      };
    }
    revalidatePath("/connections");
    redirect(`/connections?stopped=${encodeURIComponent(connectionId)}`);
  },
  { signInReturnTo: "/connections", reminderLink: (input) => [input.connectionId] },
);
