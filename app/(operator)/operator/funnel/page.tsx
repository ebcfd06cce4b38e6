import type { Metadata } from "next";
import { SectionCard } from "@/app/_components/section-card";
import { requireOperator } from "@/lib/auth/operator";
import { now } from "@/lib/clock";
import { formatDate } from "@/lib/format";
import { getFunnelReport } from "@/lib/funnel/queries";
import { BankTable, StepChart, StepTable } from "./_components/funnel-tables";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Reconfirmation funnel", robots: { index: false } };

// Operators only; to everyone else the page does not exist.
export default async function FunnelPage() {
  await requireOperator("/operator/funnel");
  const report = await getFunnelReport(now());
  const reminded = report.steps[0]?.users ?? 0;

  return (
    <>
      <h1 className="text-2xl font-bold">Reconfirmation funnel</h1>
      <p className="mt-1 text-sm text-muted">
        {formatDate(report.since)} to {formatDate(report.until)}. People at each step, and the share of those
        reminded. {report.lapsed} {report.lapsed === 1 ? "connection" : "connections"} lapsed in this time and
        {report.lapsed === 1 ? " is" : " are"} still not renewed.
      </p>
      <SectionCard id="chart" title="People per step">
        <StepChart steps={report.steps} reminded={reminded} />
      </SectionCard>
      <SectionCard id="steps" title="Per step">
        <StepTable steps={report.steps} reminded={reminded} />
      </SectionCard>
      <SectionCard id="banks" title="Per bank (connections)">
        <BankTable banks={report.banks} />
      </SectionCard>
    </>
  );
}
