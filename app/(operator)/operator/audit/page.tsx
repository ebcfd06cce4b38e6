import type { Metadata } from "next";
import { SectionCard } from "@/app/_components/section-card";
import { requireOperator } from "@/lib/auth/operator";
import { now } from "@/lib/clock";
import { HOW_TO_CHECK } from "@/lib/consent/wording";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Consent audit export", robots: { index: false } };

const field = "mt-1 block min-h-12 w-full rounded-lg border border-gray-400 bg-white px-3 text-base";

// Operators only; to everyone else the page does not exist.
export default async function AuditPage() {
  await requireOperator("/operator/audit");
  const today = now().toISOString().slice(0, 10);
  const monthAgo = new Date(now().getTime() - 30 * 86_400_000).toISOString().slice(0, 10);

  return (
    <>
      <h1 className="text-2xl font-bold">Consent audit export</h1>
      <p className="mt-1 text-base">
        One row per connection per reconfirmation: when, the pseudonymous user, bank, accounts, data shared,
        outcome, and the wording with its hash. Up to 366 days here; for longer ranges run{" "}
        <code>npm run audit-export -- --operator &lt;email&gt; --from … --to …</code>.
      </p>
      <form
        action="/operator/audit/export"
        method="get"
        className="mt-6 space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-black/5"
      >
        <div>
          <label htmlFor="from" className="block font-semibold">
            From (UTC day)
          </label>
          <input id="from" name="from" type="date" required defaultValue={monthAgo} className={field} />
        </div>
        <div>
          <label htmlFor="to" className="block font-semibold">
            To (UTC day, included)
          </label>
          <input id="to" name="to" type="date" required defaultValue={today} className={field} />
        </div>
        <fieldset>
          <legend className="font-semibold">Format</legend>
          <div className="mt-1 flex gap-6">
            <label className="flex items-center gap-2">
              <input type="radio" name="format" value="csv" defaultChecked className="size-5" /> CSV
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="format" value="jsonl" className="size-5" /> JSON Lines
            </label>
          </div>
        </fieldset>
        <button
          type="submit"
          className="inline-flex min-h-12 items-center justify-center rounded-lg bg-brand-700 px-6 py-2 text-base font-semibold text-white hover:bg-brand-800"
        >
          Download
        </button>
      </form>
      <SectionCard id="check" title="Checking a row">
        <p className="mt-2 text-base">{HOW_TO_CHECK}</p>
        <p className="mt-2 text-base">
          The user column is an HMAC-SHA-256 of the normalised email address, keyed with CONSENT_SUBJECT_KEY:
          whoever holds the key can tell whether a named address gave a consent, and nobody else can.
        </p>
      </SectionCard>
    </>
  );
}
