"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/security/client-ip";
import { limitSignInByAddress, limitSignInByIp, tooManyMessage } from "@/lib/security/limits";
import type { ActionState } from "../action";
import { safeCallbackUrl } from "../callback-url";
import { rememberLinkSentTo } from "../check-email";
import { requestSignInLink } from "../sign-in-link";
import { RequestLinkInput } from "./inputs";

/**
 * Public by nature (the visitor is signed out). Always ends on "check your email", whether or not the
 * address has an account: new addresses get one when they first use the link. Too many requests from
 * one IP get a message saying so; too many for one address are silently not sent (saying so would
 * tell a stranger the address is being used).
 */
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
  const ip = await clientIp();
  const byIp = ip ? await limitSignInByIp(ip) : undefined;
  if (byIp && !byIp.allowed) {
    return { message: tooManyMessage("Too many sign-in links have been requested from your network.", byIp) };
  }
  try {
    if ((await limitSignInByAddress(email)).allowed) {
      await requestSignInLink(email, safeCallbackUrl(parsed.data.callbackUrl, env().APP_URL));
    }
  } catch (error) {
    console.error("Sending a sign-in link failed:", error instanceof Error ? error.message : "unknown error");
    return { message: "We could not send the email just now. Please try again in a minute." };
  }
  await rememberLinkSentTo(email);
  redirect("/signin/check-email");
}
