"use server";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { startTrip } from "@/lib/security/browser-binding";
import { limitConnect, tooManyMessage } from "@/lib/security/limits";
import { startConnect } from "../connect/start";
import { ConnectInput } from "./inputs";

export const connectAction = authedAction(ConnectInput, async (input, user) => {
  const limit = await limitConnect(user.id);
  if (!limit.allowed) {
    return {
      message: tooManyMessage("You've started connecting a bank many times in the last few minutes.", limit),
    };
  }
  const started = await startConnect(user.id, {
    providerId: input.providerId,
    reconnectId: input.connectionId,
    browserHash: await startTrip(),
  });
  if (!started.ok) return { message: "We couldn't find that bank connection." };
  redirect(started.link);
});
