import Link from "next/link";
import { now } from "@/lib/clock";
import { consentState } from "@/lib/connections/consent-state";
import { dueFor } from "@/lib/connections/queries";
import { formatDate } from "@/lib/format";

function headline(due: Awaited<ReturnType<typeof dueFor>>, at: Date): string {
  const [first] = due;
  if (due.length > 1 || !first) return `${due.length} bank connections need your OK`;
  const state = consentState(first, at);
  if (state === "needs_bank") return `${first.providerName} needs you to confirm at your bank`;
  if (state === "lapsed")
    return `Access to ${first.providerName} ended on ${formatDate(first.consentExpiresAt)}`;
  return `Access to ${first.providerName} ends on ${formatDate(first.consentExpiresAt)}`;
}

/** On every signed-in page while a connection needs reconfirming; one query, nothing otherwise. */
export async function DueBanner({ userId }: { userId: string }) {
  const at = now();
  const due = await dueFor(userId, at);
  if (due.length === 0) return null;
  return (
    <aside
      aria-label="Bank access ending"
      className="mt-4 flex flex-col gap-3 rounded-xl bg-amber-50 p-4 ring-1 ring-amber-300 sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="text-base font-semibold text-ink">{headline(due, at)}</p>
      <Link
        href="/reconfirm"
        className="inline-flex min-h-11 shrink-0 items-center justify-center rounded-lg bg-brand-700 px-5 text-base font-semibold text-white hover:bg-brand-800"
      >
        Review now
      </Link>
    </aside>
  );
}
