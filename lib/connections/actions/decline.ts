"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { recordFunnelEvents } from "@/lib/funnel/record";
import { getUserConnections } from "../store/connections";
import { appendEvents } from "../store/events";
import { DeclineInput } from "./inputs";

// Deletes nothing; the next page says when access ends and offers to stop it now.
export const declineAction = authedAction(
  DeclineInput,
  async (input, user) => {
    const chosen = [...new Set(input.connectionId.length > 0 ? input.connectionId : input.shownConnectionId)];
    const owned = await getUserConnections(user.id, chosen);
    if (owned.length !== chosen.length || !chosen.every((c) => input.shownConnectionId.includes(c))) {
      return { message: "We couldn't find those banks in your account. Nothing was changed." };
    }
    const declined = owned.filter((c) => c.status !== "REVOKED");
    await appendEvents(
      declined.map((c) => ({ connectionId: c.id, type: "DECLINED", reason: "user_declined" })),
    );
    await recordFunnelEvents(
      declined.map((c) => ({
        step: "DECLINED" as const,
        userId: user.id,
        connectionId: c.id,
        providerId: c.providerId,
      })),
    );
    revalidatePath("/", "layout");
    const query = new URLSearchParams(chosen.map((c) => ["c", c]));
    redirect(`/reconfirm/declined?${query.toString()}`);
  },
  {
    arrays: ["connectionId", "shownConnectionId"],
    signInReturnTo: "/reconfirm",
    reminderLink: (input) => [...input.connectionId, ...input.shownConnectionId],
  },
);
