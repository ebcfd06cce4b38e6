import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { BackLink } from "@/app/_components/links";
import { SectionCard } from "@/app/_components/section-card";
import { requireRecentSignIn } from "@/lib/auth/step-up";
import { limitDataExport, tooManyMessage } from "@/lib/security/limits";
import { exportUserData } from "@/lib/users/export-data";
import { ConnectionsHeld, ConsentsGiven, day } from "./_components/held";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your data" };

export default async function YourDataPage() {
  const { user } = await requireRecentSignIn("/settings/data");
  const limit = await limitDataExport(user.id);
  if (!limit.allowed) {
    return (
      <>
        <h1 className="text-2xl font-bold">Your data</h1>
        <p role="alert" className="mt-4 text-base">
          {tooManyMessage("You have looked at your data many times in a short while.", limit)}
        </p>
      </>
    );
  }
  const data = await exportUserData(user.id);
  if (!data) redirect("/signin?callbackUrl=%2Fsettings%2Fdata");

  return (
    <>
      <h1 className="text-2xl font-bold">Your data</h1>
      <p className="mt-2 text-base">
        Everything Reconsent holds about you, as of {day(data.exportedAt)}.{" "}
        <a href="/settings/data/download" className="font-medium text-brand-700 underline" download>
          Download it as a JSON file
        </a>
        .
      </p>
      <SectionCard id="profile" title="Profile and preferences">
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-base">
          <dt className="font-medium">Name</dt>
          <dd>{data.profile.name ?? "–"}</dd>
          <dt className="font-medium">Email</dt>
          <dd className="break-all">{data.profile.email ?? "–"}</dd>
          <dt className="font-medium">Account since</dt>
          <dd>{day(data.profile.createdAt)}</dd>
          <dt className="font-medium">Reminder emails</dt>
          <dd>{data.preferences.reminderEmails ? "On" : "Off"}</dd>
        </dl>
      </SectionCard>
      <ConnectionsHeld connections={data.connections} />
      <ConsentsGiven records={data.consentHistory} />
      <SectionCard id="reminders" title="Reminders we sent">
        {data.remindersSent.length === 0 ? <p className="mt-2 text-base">None.</p> : null}
        <ul className="mt-2 list-disc pl-5 text-sm">
          {data.remindersSent.map((r) => (
            <li key={`${r.bank}-${r.consentEndsAt}-${r.daysBefore}`}>
              {r.bank}: {r.daysBefore ? `${r.daysBefore} days before` : "after"} {day(r.consentEndsAt)},{" "}
              {r.status.toLowerCase()} {r.sentAt ? day(r.sentAt) : ""}
            </li>
          ))}
        </ul>
      </SectionCard>
      <BackLink href="/settings">Back to settings</BackLink>
    </>
  );
}
