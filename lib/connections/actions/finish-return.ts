"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { finishWaitingReturn } from "../bank-return/finish-return";
import { psuIpFrom } from "../psu-ip";

/** "Finish renewing": the owner, signed in in the browser the bank sent back, lets its kept code be exchanged. */
export const finishReturnAction = authedAction(
  z.object({}),
  async (_input, user) => {
    const path = await finishWaitingReturn(user.id, psuIpFrom(await headers()));
    revalidatePath("/", "layout");
    redirect(path);
  },
  { signInReturnTo: "/connections/returned" },
);
