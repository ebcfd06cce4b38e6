"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { getCurrentSession } from "@/lib/auth/session";
import { finishWaitingReturn } from "../bank-return/finish-return";
import { psuIpFrom } from "../psu-ip";
import { FinishReturnInput } from "./inputs";

/** "Finish renewing": the owner, signed in in the browser the bank sent back, lets its kept code be exchanged. */
export const finishReturnAction = authedAction(
  FinishReturnInput,
  async ({ elsewhereSeen }, user) => {
    // Never attached to an account signed in with a link asked for elsewhere unless the page said so.
    if ((await getCurrentSession())?.linkAskedElsewhere && !elsewhereSeen) redirect("/connections/returned");
    const path = await finishWaitingReturn(user.id, psuIpFrom(await headers()));
    revalidatePath("/", "layout");
    redirect(path);
  },
  { signInReturnTo: "/connections/returned" },
);
