import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NameForm } from "@/app/_components/name-form";
import { SectionCard } from "@/app/_components/section-card";
import { requireUser } from "@/lib/auth/session";
import { getRemindersEnabled } from "@/lib/reminders/preferences";
import { getUserProfile } from "@/lib/users/queries";
import { DataCard, DevicesCard, EmailCard } from "./_components/account-cards";
import { ReminderPreference } from "./_components/reminder-preference";
import { SecurityActivity } from "./_components/security-activity";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  const [profile, remindersEnabled] = await Promise.all([
    getUserProfile(user.id),
    getRemindersEnabled(user.id),
  ]);
  if (!profile) redirect("/signin?callbackUrl=%2Fsettings");

  return (
    <>
      <h1 className="text-2xl font-bold">Settings</h1>
      <SectionCard id="name" title="Your name">
        <p className="mt-1 text-sm text-muted">
          Your bank checks it when you renew access to your bank data.
        </p>
        <NameForm defaultName={profile.name} submitLabel="Save name" className="mt-4" />
      </SectionCard>
      <EmailCard email={profile.email} />
      <ReminderPreference enabled={remindersEnabled} />
      <DevicesCard />
      <SecurityActivity userId={user.id} />
      <DataCard />
    </>
  );
}
