"use server";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { getUserConnections } from "../store/connections";
import { DeclineInput } from "./inputs";

// Changes nothing: the next page names the banks and asks to confirm the stop (confirm-decline.ts).
export const declineAction = authedAction(
  DeclineInput,
  async (input, user) => {
    const chosen = [...new Set(input.connectionId.length > 0 ? input.connectionId : input.shownConnectionId)];
    const owned = await getUserConnections(user.id, chosen);
    if (owned.length !== chosen.length || !chosen.every((c) => input.shownConnectionId.includes(c))) {
      return { message: "We couldn't find those banks in your account. Nothing was changed." };
    }
    const query = new URLSearchParams(chosen.map((c) => ["c", c]));
    redirect(`/reconfirm/declined?${query.toString()}`);
  },
  {
    arrays: ["connectionId", "shownConnectionId"],
    signInReturnTo: "/reconfirm",
    reminderLink: (input) => [...input.connectionId, ...input.shownConnectionId],
  },
);
