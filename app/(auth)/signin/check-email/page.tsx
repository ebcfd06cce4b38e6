import type { Metadata } from "next";
import { EmailText } from "@/app/_components/email-text";
import { TextLink } from "@/app/_components/links";
import { linkSentTo } from "@/lib/auth/check-email";
import { LocalInboxNote } from "./local-inbox-note";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage() {
  const email = await linkSentTo();

  return (
    <>
      <h1 className="text-2xl font-bold">Check your email</h1>
      <p className="mt-4 text-base">
        We&apos;ve sent a link to {email ? <EmailText email={email} strong /> : "your email address"}. Open it
        on the device where you want to be signed in.
      </p>
      <p className="mt-3 text-base text-muted">The link works once, for 15 minutes.</p>
      <LocalInboxNote />
      <p className="mt-6 text-base">
        No email after a few minutes? Check your spam folder, or{" "}
        <TextLink href="/signin" strong>
          send a new link
        </TextLink>
        .
      </p>
    </>
  );
}
