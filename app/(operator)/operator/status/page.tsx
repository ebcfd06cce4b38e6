import type { Metadata } from "next";
import { SectionCard } from "@/app/_components/section-card";
import { getOperatorStatus } from "@/lib/alerts/status";
import { requireOperator } from "@/lib/auth/operator";
import { formatDateTime } from "@/lib/format";

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
        {alerts.length === 0 ? (
          <p className="mt-2 text-base">No alerts.</p>
        ) : (
          <ul className="mt-3 space-y-4">
            {alerts.map((a) => (
              <li key={a.id}>
                <h3 className="font-semibold">{a.title}</h3>
                <p className="text-base">{a.summary}</p>
                <p className="text-sm text-muted">
                  {a.count === 1 ? "Once" : `${a.count} times`}, first {formatDateTime(a.firstAt)}, last{" "}
                  {formatDateTime(a.lastAt)}. {a.delivery}.
                </p>
              </li>
            ))}
          </ul>
        )}
      </SectionCard>

      <SectionCard id="queue" title="Revoke queue">
        <p className="mt-2 text-base">
          {revokeQueue.size} {revokeQueue.size === 1 ? "grant waits" : "grants wait"} to be revoked at
          TrueLayer
          {revokeQueue.oldestAt ? `, the oldest since ${formatDateTime(revokeQueue.oldestAt)}` : ""}.{" "}
          {revokeQueue.lostGrants} lost {revokeQueue.lostGrants === 1 ? "grant" : "grants"} (an answer from
          TrueLayer that never reached us). <code>npm run revoke-queue</code> shows the same.
        </p>
      </SectionCard>
    </>
  );
}
