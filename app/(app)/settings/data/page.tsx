import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SectionCard } from "@/app/_components/section-card";
import { requireRecentSignIn } from "@/lib/auth/step-up";
import { formatDate, formatTime } from "@/lib/format";
import { limitDataExport, tooManyMessage } from "@/lib/security/limits";
import { exportUserData } from "@/lib/users/export-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your data" };

const day = (iso: string | null) => (iso ? formatDate(new Date(iso)) : "–");
const money = (amount: string, currency: string) =>
  new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(Number(amount));
const dateTime = (iso: string) => `${formatDate(new Date(iso))} at ${formatTime(new Date(iso))}`;

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
      <SectionCard id="connections" title="Bank connections">
        {data.connections.length === 0 ? <p className="mt-2 text-base">None.</p> : null}
        {data.connections.map((c) => (
          <div key={c.id} className="mt-4">
            <h3 className="font-semibold">{c.bank}</h3>
            <p className="text-sm text-muted">
              {c.status} · {c.consent} · data: {c.scopes.join(", ")}
            </p>
            <ul className="mt-1 list-disc pl-5 text-sm">
              {c.accounts.map((a) => (
                <li key={`${a.name}-${a.number}`}>
                  {a.name} {a.number ?? ""} ({a.type}, {a.currency})
                  {a.balance ? (
                    <>
                      : current {money(a.balance.current, a.currency)}, available{" "}
                      {money(a.balance.available, a.currency)}, read {dateTime(a.balance.readAt)}
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
            <p className="mt-1 text-sm">Balances kept: {c.balances}</p>
            <p className="mt-1 text-sm">
              History:{" "}
              {c.history
                .map((e) => `${e.type.toLowerCase().replaceAll("_", " ")} ${day(e.at)}`)
                .join(" · ") || "–"}
            </p>
          </div>
        ))}
      </SectionCard>
      <SectionCard id="consent" title="Consents you gave">
        {data.consentHistory.length === 0 ? <p className="mt-2 text-base">None yet.</p> : null}
        {data.consentHistory.map((r) => (
          <details key={r.at + r.wordingHash} className="mt-3">
            <summary className="cursor-pointer font-medium">
              {day(r.at)}: {r.banks.map((b) => b.bank).join(", ")}
            </summary>
            {r.wording ? (
              <div className="mt-2 space-y-1 text-sm">
                <p className="font-semibold">{r.wording.heading}</p>
                <p>{r.wording.summary}</p>
                {r.wording.banks.map((b) => (
                  <p key={b.connectionId}>
                    {b.bankName}: {b.accounts.join(", ")}. {b.data.join(", ")}.
                  </p>
                ))}
                {r.wording.points.map((p) => (
                  <p key={p.title}>
                    <span className="font-medium">{p.title}:</span> {p.body}
                  </p>
                ))}
              </div>
            ) : (
              <p className="mt-2 text-sm">
                The wording of this consent was recorded before it was stored in full.
              </p>
            )}
            <p className="mt-1 text-sm">
              Result:{" "}
              {r.outcomes
                .map((o) => `${o.bank ?? ""} ${o.outcome.toLowerCase().replaceAll("_", " ")}`)
                .join(", ") || "–"}
            </p>
          </details>
        ))}
      </SectionCard>
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
      <p className="mt-6">
        <Link href="/settings" className="font-medium text-brand-700 underline">
          Back to settings
        </Link>
      </p>
    </>
  );
}
