"use server";
import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/security/client-ip";
import { waitInWords } from "@/lib/security/rate-limit";
import type { ActionState } from "../action";
import { rememberAskedHere } from "../asked-here";
import { safeCallbackUrl } from "../callback-url";
import { rememberLinkSentTo } from "../check-email";
import { askForSignInLink } from "../link-request";
import { getCurrentUser } from "../session";

/** "Email me a link": a fresh sign-in for the signed-in user's own address, back to where they were going. */
export async function stepUpAction(
  returnTo: string,
  _previous: ActionState,
  _form: FormData,
): Promise<ActionState> {
  const user = await getCurrentUser();
  const callbackUrl = safeCallbackUrl(returnTo, env().APP_URL);
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  let outcome: Awaited<ReturnType<typeof askForSignInLink>>;
  try {
    outcome = await askForSignInLink(user.email, await clientIp(), callbackUrl);
  } catch (error) {
    console.error("Sending a sign-in link failed:", error instanceof Error ? error.message : "unknown error");
    return { message: "We could not send the email just now. Please try again in a minute." };
  }
  if (outcome.kind === "refused") {
    return {
      message: `We didn't send a link: too many have been asked for. Please try again in ${waitInWords(outcome.retryAfterSeconds)}.`,
    };
  }
  await rememberAskedHere(user.email);
  if (outcome.kind === "recent") {
    return {
      message: `We didn't send another link: one went to your address a few minutes ago and still works. Use the newest link in your inbox.`,
    };
  }
  await rememberLinkSentTo(user.email);
  redirect("/signin/check-email");
}
