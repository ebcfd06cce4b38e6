"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { getCurrentUser } from "@/lib/auth/session";
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
    // A reminder link's session has no dashboard: its stop page says what happened.
    if (!(await getCurrentUser())) redirect(`/connections/${encodeURIComponent(connectionId)}/stop`);
    redirect(`/connections?stopped=${encodeURIComponent(connectionId)}`);
  },
  { signInReturnTo: "/connections", reminderLink: (input) => [input.connectionId] },
);
