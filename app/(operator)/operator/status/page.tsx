import type { Metadata } from "next";
import { SectionCard } from "@/app/_components/section-card";
import { revokeQueueWords } from "@/lib/alerts/queue-words";
import { getOperatorStatus } from "@/lib/alerts/status";
import { requireOperator } from "@/lib/auth/operator";
import { AlertList } from "../_components/alert-list";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Operator status", robots: { index: false } };

// Operators only; to everyone else the page does not exist.
export default async function StatusPage() {
  await requireOperator("/operator/status");
  const { webhook, alerts, revokeQueue } = await getOperatorStatus();

  return (
    <>
      <h1 className="text-2xl font-bold">Operator status</h1>
      <p className="mt-1 text-base">
        {webhook
          ? "Alerts are also sent to the webhook set in ALERT_WEBHOOK_URL; the scheduled job retries any not sent."
          : "No ALERT_WEBHOOK_URL is set, so alerts are only listed here."}{" "}
        Each alert stands for every repeat of its kind within its window (an hour, or a day).
      </p>
      <SectionCard id="alerts" title="Alerts">
        <AlertList alerts={alerts} />
      </SectionCard>
      <SectionCard id="queue" title="Revoke queue">
        <p className="mt-2 text-base">
          {revokeQueueWords(revokeQueue)} <code>npm run revoke-queue</code> shows the same.
        </p>
      </SectionCard>
    </>
  );
}
