import type { Metadata } from "next";
import Link from "next/link";
import { EmailText } from "@/app/_components/email-text";
import { linkSentTo } from "@/lib/auth/check-email";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage() {
  const email = await linkSentTo();
  const config = env();
  const inboxUrl = config.mode !== "production" ? config.MAIL_INBOX_URL : undefined;

  return (
    <>
      <h1 className="text-2xl font-bold">Check your email</h1>
      <p className="mt-4 text-base">
        We&apos;ve sent a link to {email ? <EmailText email={email} strong /> : "your email address"}. Open it
        on the device where you want to be signed in.
      </p>
      <p className="mt-3 text-base text-muted">The link works once, for 15 minutes.</p>
      {inboxUrl ? (
        <p className="mt-5 rounded-lg bg-brand-50 p-4 text-base">
          This is a {config.mode} setup: emails never leave this computer. They arrive in the local inbox at{" "}
          <a href={inboxUrl} className="font-semibold text-brand-700 underline">
            <EmailText email={inboxUrl} />
          </a>
          .
        </p>
      ) : null}
      <p className="mt-6 text-base">
        No email after a few minutes? Check your spam folder, or{" "}
        <Link href="/signin" className="font-semibold text-brand-700 underline">
          send a new link
        </Link>
        .
      </p>
    </>
  );
}
