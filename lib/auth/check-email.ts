import "server-only";
import { cookies } from "next/headers";
import { cookieName, hostCookieOptions } from "@/lib/security/cookie-name";
import { EmailAddress } from "./email-address";

// The address a link was just sent to, for "check your email" and for prefilling "send a new link";
// kept out of the URL so it stays out of logs and browser history.
const BASE = "reconsent.signin-email";
const MAX_AGE = 15 * 60;

const options = () => hostCookieOptions(MAX_AGE);

export async function rememberLinkSentTo(email: string): Promise<void> {
  (await cookies()).set(cookieName(BASE), email, options());
}

/** The same cookie as a header, for a route handler's own response (a link that did not work). */
export function rememberedEmailHeader(email: string): string {
  const { secure } = options();
  return `${cookieName(BASE)}=${encodeURIComponent(email)}; Path=/; Max-Age=${MAX_AGE}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export async function linkSentTo(): Promise<string | null> {
  const value = (await cookies()).get(cookieName(BASE))?.value;
  const parsed = EmailAddress.safeParse(value);
  return parsed.success ? parsed.data : null;
}
