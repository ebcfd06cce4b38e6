"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { env } from "@/lib/env";
import type { ActionState } from "../action";
import { safeCallbackUrl } from "../callback-url";
import { rememberLinkSentTo } from "../check-email";
import { EmailAddress } from "../email-address";
import { requestSignInLink } from "../sign-in-link";

const RequestLinkInput = z.object({ email: EmailAddress, callbackUrl: z.unknown() });

/**
 * Public by nature (the visitor is signed out). Always ends on "check your email", whether or not the
 * address has an account: new addresses get one when they first use the link.
 */
export async function requestLinkAction(
  _previous: ActionState | undefined,
  formData: FormData,
): Promise<ActionState> {
  const parsed = RequestLinkInput.safeParse({
    email: formData.get("email") ?? "",
    callbackUrl: formData.get("callbackUrl"),
  });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: "Please check your email address." };
  }
  const { email } = parsed.data;
  try {
    await requestSignInLink(email, safeCallbackUrl(parsed.data.callbackUrl, env().APP_URL));
  } catch (error) {
    console.error("Sending a sign-in link failed:", error instanceof Error ? error.message : "unknown error");
    return { message: "We could not send the email just now. Please try again in a minute." };
  }
  await rememberLinkSentTo(email);
  redirect("/signin/check-email");
}
