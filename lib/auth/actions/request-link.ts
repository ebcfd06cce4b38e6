"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/security/client-ip";
import { tooManyMessage } from "@/lib/security/limits";
import { waitInWords } from "@/lib/security/rate-limit";
import { type ActionState, submittedForm } from "../action";
import { rememberAskedHere } from "../asked-here";
import { safeCallbackUrl } from "../callback-url";
import { rememberLinkSentTo } from "../check-email";
import { askForSignInLink, LINK_PACE_S, type LinkRequestOutcome } from "../link-request";
import { RequestLinkInput } from "./inputs";

// Public; the only sign-in link request (next-auth's route unserved). Spent budgets send nothing; the page says when.
const REFUSED = {
  network: "Too many links have been asked for from your network.",
  inbox: "Several links have already gone to this inbox under other spellings of its address.",
  domain: "We're sending unusually many links to addresses like yours.",
  new_addresses: "We've paused new sign-ups for a short while.",
} as const;

export async function requestLinkAction(
  previous: ActionState | FormData | undefined,
  submitted?: FormData,
): Promise<ActionState> {
  const formData = submittedForm(previous, submitted);
  const parsed = RequestLinkInput.safeParse({
    email: formData.get("email") ?? "",
    callbackUrl: formData.get("callbackUrl"),
  });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: "Please check your email address." };
  }
  const { email } = parsed.data;
  const notSent = "We didn't send a sign-in link.";
  let outcome: LinkRequestOutcome;
  try {
    outcome = await askForSignInLink(
      email,
      await clientIp(),
      safeCallbackUrl(parsed.data.callbackUrl, env().APP_URL),
    );
  } catch (error) {
    console.error("Sending a sign-in link failed:", error instanceof Error ? error.message : "unknown error");
    return { message: "We could not send the email just now. Please try again in a minute." };
  }
  if (outcome.kind === "refused") {
    return {
      message: tooManyMessage(`${notSent} ${REFUSED[outcome.budget]}`, {
        allowed: false,
        retryAfterSeconds: outcome.retryAfterSeconds,
      }),
    };
  }
  if (outcome.kind === "recent") {
    // This browser did ask: the link in the inbox is as good as a new one here.
    await rememberAskedHere(email);
    return {
      message: `We didn't send another link: one went to this address in the last ${LINK_PACE_S / 60} minutes and still works. Use the newest link in your inbox, or ask again in ${waitInWords(outcome.retryAfterSeconds)}.`,
    };
  }
  await Promise.all([rememberLinkSentTo(email), rememberAskedHere(email)]);
  redirect("/signin/check-email");
}
