import "server-only";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";

// Our own confirmation page, not next-auth's callback, so a mail scanner that follows links cannot use it up.
export function confirmationUrl(callbackUrl: string): string {
  const incoming = new URL(callbackUrl);
  const confirm = new URL("/signin/confirm", env().APP_URL);
  for (const key of ["token", "email", "callbackUrl"]) {
    const value = incoming.searchParams.get(key);
    if (value) confirm.searchParams.set(key, value);
  }
  return confirm.toString();
}

export async function sendSignInEmail({ to, url }: { to: string; url: string }): Promise<void> {
  const link = confirmationUrl(url);
  const transport = nodemailer.createTransport(env().SMTP_URL);
  await transport.sendMail({
    to,
    from: env().EMAIL_FROM,
    subject: "Your sign-in link for Reconsent",
    text: `Sign in to Reconsent:\n${link}\n\nThe link works once, for 15 minutes. If you did not ask for it, ignore this email.`,
    html: `<p>Sign in to Reconsent:</p><p><a href="${link}">Continue to sign in</a></p><p>The link works once, for 15 minutes. If you did not ask for it, ignore this email.</p>`,
  });
}
