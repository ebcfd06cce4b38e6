import "server-only";
import nodemailer from "nodemailer";
import { mailBrand } from "@/lib/email/mail-brand";
import { renderMail } from "@/lib/email/render";
import { signInSubject } from "@/lib/email/sign-in-mail";
import { env } from "@/lib/env";
import { recordedSend } from "@/lib/reminders/mailer";

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
  const brand = mailBrand();
  const { html, text } = await renderMail("signIn", { brand, link: confirmationUrl(url) });
  const transport = nodemailer.createTransport(env().SMTP_URL);
  await recordedSend(() =>
    transport.sendMail({ to, from: env().EMAIL_FROM, subject: signInSubject(brand), text, html }),
  );
}
