import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";

// The address a link was just sent to, for the "check your email" page; kept out of the URL so it
// stays out of logs and browser history.
const COOKIE = "reconsent.signin-email";

export async function rememberLinkSentTo(email: string): Promise<void> {
  (await cookies()).set(COOKIE, email, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https://"),
    path: "/signin",
    maxAge: 15 * 60,
  });
}

export async function linkSentTo(): Promise<string | null> {
  return (await cookies()).get(COOKIE)?.value ?? null;
}
