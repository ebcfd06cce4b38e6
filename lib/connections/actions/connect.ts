"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { startConnect } from "../connect";

const ConnectInput = z.object({
  providerId: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, { error: "Choose a bank from the list." })
    .optional(),
  connectionId: z.string().min(1).max(64).optional(),
});

/** "Connect a bank" (or "Connect again" with a connection's bank preselected): off to the bank. */
export const connectAction = authedAction(ConnectInput, async (input, user) => {
  const started = await startConnect(user.id, {
    providerId: input.providerId,
    reconnectId: input.connectionId,
  });
  if (!started.ok) return { message: "We couldn't find that bank connection." };
  redirect(started.link);
});
