import Link from "next/link";
import { ActionForm } from "@/app/_components/action-form";
import { EmailText } from "@/app/_components/email-text";
import { MailLink, TextLink } from "@/app/_components/links";
import { SectionCard } from "@/app/_components/section-card";
import { signOutEverywhereAction } from "@/lib/auth/actions/sign-out";
import { brand } from "@/lib/brand";

/** Settings section: the address links and reminders go to, and how to have it changed. */
export function EmailCard({ email }: { email: string | null }) {
  return (
    <SectionCard id="email" title="Email address">
      <p className="mt-2 text-base">
        <EmailText email={email ?? ""} />
      </p>
      <p className="mt-1 text-sm text-muted">We send your sign-in links and reminders here.</p>
      <p className="mt-2 text-base">
        You can&apos;t change it here yet. To change it, email <MailLink to={brand().supportEmail} /> from
        this address.
      </p>
    </SectionCard>
  );
}

/** Settings section: how long a sign-in lasts, and signing out of every device. */
export function DevicesCard() {
  return (
    <SectionCard id="devices" title="Signed-in devices">
      <p className="mt-1 text-sm text-muted">
        A sign-in lasts 12 hours at most, and ends after 30 minutes without use. Lost a phone, or signed in
        somewhere you shouldn&apos;t have? Sign out everywhere at once, this browser included.
      </p>
      <ActionForm action={signOutEverywhereAction} pendingLabel="Signing out…" className="mt-4">
        Sign out of every device
      </ActionForm>
    </SectionCard>
  );
}

/** Settings section: the ways to the data page and to deleting the account. */
export function DataCard() {
  return (
    <SectionCard id="data" title="Your data">
      <ul className="mt-2 space-y-2 text-base">
        <li>
          <TextLink href="/settings/data">See and download your data</TextLink>
        </li>
        <li>
          <Link href="/settings/delete" className="font-medium text-red-800 underline">
            Delete your account
          </Link>
        </li>
      </ul>
    </SectionCard>
  );
}
