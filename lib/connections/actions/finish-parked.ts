"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { getCurrentSession } from "@/lib/auth/session";
import { browserBindingHash, forgetParkInThisBrowser } from "@/lib/security/browser-binding";
import { finishParked } from "../bank-return/finish";
import { FinishParkedInput } from "./inputs";

/** "Add <bank> to my account": the owner, in the browser that came back from the bank, takes it. */
export const finishParkedAction = authedAction(
  FinishParkedInput,
  async ({ exchange, elsewhereSeen }, user) => {
    if ((await getCurrentSession())?.linkAskedElsewhere && !elsewhereSeen) {
      redirect(`/connections/finish?exchange=${encodeURIComponent(exchange)}`);
    }
    const path = await finishParked(exchange, await browserBindingHash(), user.id);
    await forgetParkInThisBrowser();
    revalidatePath("/", "layout");
    redirect(path);
  },
  { signInReturnTo: "/connections" },
);
