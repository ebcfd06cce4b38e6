import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm } from "@/app/_components/action-form";
import { EmailText } from "@/app/_components/email-text";
import { NameForm } from "@/app/_components/name-form";
import { SectionCard } from "@/app/_components/section-card";
import { signOutEverywhereAction } from "@/lib/auth/actions/sign-out";
import { requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { getRemindersEnabled } from "@/lib/reminders/preferences";
import { getUserProfile } from "@/lib/users/queries";
import { ReminderPreference } from "./_components/reminder-preference";
import { SecurityActivity } from "./_components/security-activity";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  const profile = await getUserProfile(user.id);
  const { supportEmail } = brand();
  if (!profile) redirect("/signin?callbackUrl=%2Fsettings");

  return (
    <>
      <h1 className="text-2xl font-bold">Settings</h1>
      <SectionCard id="name" title="Your name">
        <p className="mt-1 text-sm text-muted">
          Your bank checks it when you renew access to your bank data.
        </p>
        <div className="mt-4">
          <NameForm defaultName={profile.name} submitLabel="Save name" />
        </div>
      </SectionCard>
      <SectionCard id="email" title="Email address">
        <p className="mt-2 text-base">
          <EmailText email={profile.email ?? ""} />
        </p>
        <p className="mt-1 text-sm text-muted">We send your sign-in links and reminders here.</p>
        <p className="mt-2 text-base">
          You can&apos;t change it here yet. To change it, email{" "}
          <a href={`mailto:${supportEmail}`} className="font-medium text-brand-700 underline break-words">
            {supportEmail}
          </a>{" "}
          from this address.
        </p>
      </SectionCard>
      <ReminderPreference enabled={await getRemindersEnabled(user.id)} />
      <SectionCard id="devices" title="Signed-in devices">
        <p className="mt-1 text-sm text-muted">
          A sign-in lasts 12 hours at most, and ends after 30 minutes without use. Lost a phone, or signed in
          somewhere you shouldn&apos;t have? Sign out everywhere at once, this browser included.
        </p>
        <ActionForm action={signOutEverywhereAction} pendingLabel="Signing out…" className="mt-4">
          Sign out of every device
        </ActionForm>
      </SectionCard>
      <SecurityActivity userId={user.id} />
      <SectionCard id="data" title="Your data">
        <ul className="mt-2 space-y-2 text-base">
          <li>
            <Link href="/settings/data" className="font-medium text-brand-700 underline">
              See and download your data
            </Link>
          </li>
          <li>
            <Link href="/settings/delete" className="font-medium text-red-800 underline">
              Delete your account
            </Link>
          </li>
        </ul>
      </SectionCard>
    </>
  );
}
