"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/security/client-ip";
import {
  limitNewAddressMail,
  limitSignInByDomain,
  limitSignInByIp,
  limitSignInByMailbox,
  tooManyMessage,
} from "@/lib/security/limits";
import { hasAccount } from "@/lib/users/queries";
import type { ActionState } from "../action";
import { safeCallbackUrl } from "../callback-url";
import { rememberLinkSentTo } from "../check-email";
import { requestSignInLink, secondsUntilLinkSlot } from "../sign-in-link";
import { RequestLinkInput } from "./inputs";

// Public by nature, and the only way to ask for a sign-in link (next-auth's sign-in route is not served).
// A spent budget sends nothing, and the page says when to try again.
export async function requestLinkAction(
  previous: ActionState | FormData | undefined,
  submitted?: FormData,
): Promise<ActionState> {
  // A hand-made POST can name the action directly, and then the form data comes first.
  const formData =
    submitted instanceof FormData ? submitted : previous instanceof FormData ? previous : new FormData();
  const parsed = RequestLinkInput.safeParse({
    email: formData.get("email") ?? "",
    callbackUrl: formData.get("callbackUrl"),
  });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: "Please check your email address." };
  }
  const { email } = parsed.data;
  const notSent = "We didn't send a sign-in link.";
  const ip = await clientIp();
  const byIp = ip ? await limitSignInByIp(ip) : undefined;
  if (byIp && !byIp.allowed) {
    return {
      message: tooManyMessage(`${notSent} Too many links have been asked for from your network.`, byIp),
    };
  }
  const byMailbox = await limitSignInByMailbox(email);
  if (!byMailbox.allowed) {
    return {
      message: tooManyMessage(
        `${notSent} Several links have already been sent to this address in the last hour: use the newest one in your inbox.`,
        byMailbox,
      ),
    };
  }
  const byDomain = await limitSignInByDomain(email);
  if (!byDomain.allowed) {
    return {
      message: tooManyMessage(
        `${notSent} We're sending unusually many links to addresses like yours.`,
        byDomain,
      ),
    };
  }
  if (!(await hasAccount(email))) {
    const byNew = await limitNewAddressMail();
    if (!byNew.allowed) {
      return { message: tooManyMessage(`${notSent} We've paused new sign-ups for a short while.`, byNew) };
    }
  }
  try {
    const sent = await requestSignInLink(email, safeCallbackUrl(parsed.data.callbackUrl, env().APP_URL));
    if (sent === "throttled") {
      const retryAfterSeconds = await secondsUntilLinkSlot(email);
      return {
        message: tooManyMessage(
          `${notSent} This address already has three unused links from the last 15 minutes: use the newest one in your inbox.`,
          { allowed: false, retryAfterSeconds },
        ),
      };
    }
  } catch (error) {
    console.error("Sending a sign-in link failed:", error instanceof Error ? error.message : "unknown error");
    return { message: "We could not send the email just now. Please try again in a minute." };
  }
  await rememberLinkSentTo(email);
  redirect("/signin/check-email");
}
