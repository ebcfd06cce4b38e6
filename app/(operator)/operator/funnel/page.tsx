import type { Metadata } from "next";
import { SectionCard } from "@/app/_components/section-card";
import { requireOperator } from "@/lib/auth/operator";
import { now } from "@/lib/clock";
import { formatDate } from "@/lib/format";
import { getFunnelReport } from "@/lib/funnel/queries";
import { PER_BANK_STEPS } from "@/lib/funnel/steps";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Reconfirmation funnel", robots: { index: false } };

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : "–");
const SHORT: Record<string, string> = {
  REMINDED: "Reminded",
  CONFIRMED: "Confirmed",
  SENT_TO_BANK: "To bank",
  COMPLETED: "Completed",
  DECLINED: "Declined",
  FAILED: "Failed",
};

// Operators only; to everyone else the page does not exist.
export default async function FunnelPage() {
  await requireOperator("/operator/funnel");
  const report = await getFunnelReport(now());
  const reminded = report.steps[0]?.users ?? 0;
  const widest = Math.max(1, ...report.steps.map((s) => s.users));

  return (
    <>
      <h1 className="text-2xl font-bold">Reconfirmation funnel</h1>
      <p className="mt-1 text-sm text-muted">
        {formatDate(report.since)} to {formatDate(report.until)}. People at each step, and the share of those
        reminded. {report.lapsed} {report.lapsed === 1 ? "connection" : "connections"} lapsed in this time and
        {report.lapsed === 1 ? " is" : " are"} still not renewed.
      </p>

      <SectionCard id="chart" title="People per step">
        <ol className="mt-4 space-y-3">
          {report.steps.map((s) => (
            <li key={s.step}>
              <div className="flex justify-between gap-3 text-sm">
                <span className="font-medium">{s.label}</span>
                <span className="tabular-nums text-muted">
                  {s.users} · {percent(s.users, reminded)}
                </span>
              </div>
              <div className="mt-1 h-3 rounded bg-brand-50" aria-hidden="true">
                <div className="h-3 rounded bg-brand-600" style={{ width: `${(s.users / widest) * 100}%` }} />
              </div>
            </li>
          ))}
        </ol>
      </SectionCard>

      <SectionCard id="steps" title="Per step">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a table wider than a phone (WCAG 2.1.1) */}
        <div className="mt-3 overflow-x-auto" tabIndex={0}>
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="py-2 pr-3">
                  Step
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  People
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Of reminded
                </th>
                <th scope="col" className="py-2 text-right">
                  Events
                </th>
              </tr>
            </thead>
            <tbody>
              {report.steps.map((s) => (
                <tr key={s.step} className="border-b border-gray-100">
                  <th scope="row" className="py-2 pr-3 font-medium">
                    {s.label}
                  </th>
                  <td className="py-2 pr-3 text-right tabular-nums">{s.users}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{percent(s.users, reminded)}</td>
                  <td className="py-2 text-right tabular-nums">{s.events}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </SectionCard>

      <SectionCard id="banks" title="Per bank (connections)">
        {report.banks.length === 0 ? (
          <p className="mt-2 text-sm text-muted">Nothing recorded in the last 30 days.</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a table wider than a phone (WCAG 2.1.1)
          <div className="mt-3 overflow-x-auto" tabIndex={0}>
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="py-2 pr-3">
                    Bank
                  </th>
                  {PER_BANK_STEPS.map((step) => (
                    <th key={step} scope="col" className="py-2 pr-3 text-right">
                      {SHORT[step]}
                    </th>
                  ))}
                  <th scope="col" className="py-2 text-right">
                    Lapsed
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.banks.map((b) => (
                  <tr key={b.providerId} className="border-b border-gray-100">
                    <th scope="row" className="py-2 pr-3 font-medium">
                      {b.providerName}
                    </th>
                    {PER_BANK_STEPS.map((step) => (
                      <td key={step} className="py-2 pr-3 text-right tabular-nums">
                        {b.connections[step]}
                      </td>
                    ))}
                    <td className="py-2 text-right tabular-nums">{b.lapsed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </SectionCard>
    </>
  );
}
