import "server-only";
import { cookies } from "next/headers";
import { cookieName, hostCookieOptions } from "@/lib/security/cookie-name";
import { EmailAddress } from "./email-address";

// The address just mailed, for "check your email" and prefilling "send a new link"; not in the URL: logs, history.
const BASE = "reconsent.signin-email";
const MAX_AGE = 15 * 60;

const options = () => hostCookieOptions(MAX_AGE);

export async function rememberLinkSentTo(email: string): Promise<void> {
  (await cookies()).set(cookieName(BASE), email, options());
}

export function rememberedEmailHeader(email: string): string {
  const { secure } = options();
  return `${cookieName(BASE)}=${encodeURIComponent(email)}; Path=/; Max-Age=${MAX_AGE}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export async function linkSentTo(): Promise<string | null> {
  const value = (await cookies()).get(cookieName(BASE))?.value;
  const parsed = EmailAddress.safeParse(value);
  return parsed.success ? parsed.data : null;
}
