import { EmailText } from "@/app/_components/email-text";
import { env } from "@/lib/env";

/** Outside production, where the sign-in emails went instead: the local inbox. */
export function LocalInboxNote() {
  const config = env();
  const inbox = config.mode === "production" ? undefined : config.MAIL_INBOX_URL;
  if (!inbox) return null;
  return (
    <p className="mt-5 rounded-lg bg-brand-50 p-4 text-base">
      This is a {config.mode} setup: emails never leave this computer. They arrive in the local inbox at{" "}
      <a href={inbox} className="font-semibold text-brand-700 underline">
        <EmailText email={inbox} />
      </a>
      .
    </p>
  );
}
