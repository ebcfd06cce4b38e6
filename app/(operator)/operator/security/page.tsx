import type { Metadata } from "next";
import { requireOperator } from "@/lib/auth/operator";
import { formatDateTime } from "@/lib/format";
import { securityEventInWords } from "@/lib/security/event-words";
import { latestSecurityEvents } from "@/lib/security/events";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Security events", robots: { index: false } };

// Operators only (the group's layout and this call), and each visit is itself an event here.
export default async function SecurityEventsPage() {
  await requireOperator("/operator/security");
  const events = await latestSecurityEvents(200);
  return (
    <>
      <h1 className="text-2xl font-bold">Security events</h1>
      <p className="mt-1 text-base">
        The latest {events.length} events, newest first. Accounts appear by their id; addresses and networks
        only as keyed hashes. Kept a year for an account, 90 days otherwise; an account&apos;s events go when
        it is deleted.
      </p>
      <div className="mt-6 overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-black/5">
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              <th scope="col" className="p-2">
                When (UTC)
              </th>
              <th scope="col" className="p-2">
                Event
              </th>
              <th scope="col" className="p-2">
                Code
              </th>
              <th scope="col" className="p-2">
                Account
              </th>
              <th scope="col" className="p-2">
                Subject
              </th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className="border-t border-gray-200">
                <td className="p-2 whitespace-nowrap">{formatDateTime(e.createdAt)}</td>
                <td className="p-2">{securityEventInWords(e.kind, e.reason)}</td>
                <td className="p-2 font-mono">
                  {e.kind}
                  {e.reason ? ` ${e.reason}` : ""}
                </td>
                <td className="p-2 font-mono">{e.userId ?? "–"}</td>
                <td className="p-2 font-mono">{e.subjectHash?.slice(0, 12) ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
