import type { Metadata } from "next";
import { requireOperator } from "@/lib/auth/operator";
import { latestSecurityEvents } from "@/lib/security/events";
import { ScrollTable } from "../_components/scroll-table";
import { EventRow } from "./event-row";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Security events", robots: { index: false } };

const COLUMNS = ["When (UTC)", "Event", "Code", "Account", "Subject"].map((label) => ({
  label,
  className: "p-2",
}));
const FRAME = "mt-6 overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-black/5";

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
      <ScrollTable columns={COLUMNS} className={FRAME}>
        {events.map((e) => (
          <EventRow key={e.id} event={e} />
        ))}
      </ScrollTable>
    </>
  );
}
