import Link from "next/link";
import { now } from "@/lib/clock";
import { consentState } from "@/lib/connections/consent-state";
import { dueFor } from "@/lib/connections/queries";
import { dueHeadline } from "@/lib/connections/status-words";

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
      <p className="text-base font-semibold break-words text-ink">
        {dueHeadline(
          due.map((c) => ({
            providerName: c.providerName,
            facts: { state: consentState(c, at), consentExpiresAt: c.consentExpiresAt },
          })),
        )}
      </p>
      <Link
        href="/reconfirm"
        className="inline-flex min-h-11 shrink-0 items-center justify-center rounded-lg bg-brand-700 px-5 text-base font-semibold text-white hover:bg-brand-800"
      >
        Review now
      </Link>
    </aside>
  );
}
