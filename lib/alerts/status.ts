import "server-only";
import { revokeQueueStats } from "@/lib/connections/custody";
import { env } from "@/lib/env";
import { alertTitle, recentAlerts } from "./outbox";

export type AlertView = {
  id: string;
  title: string;
  summary: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  delivery: string;
};

/** What /operator/status shows: recent alerts with their delivery, and the revoke queue. Never the webhook's URL. */
export async function getOperatorStatus() {
  const webhook = Boolean(env().ALERT_WEBHOOK_URL);
  const [alerts, revokeQueue] = await Promise.all([recentAlerts(), revokeQueueStats()]);
  const delivery = (a: (typeof alerts)[number]) =>
    a.deliveredAt
      ? "Sent to the webhook"
      : !webhook
        ? "Not sent: no ALERT_WEBHOOK_URL"
        : a.attempts > 0
          ? `Not sent yet: ${a.attempts} failed ${a.attempts === 1 ? "try" : "tries"} (${a.lastError ?? "unknown"}); retried by the scheduled job`
          : "Waiting to be sent";
  const views: AlertView[] = alerts.map((a) => ({
    id: a.id,
    title: alertTitle(a.kind),
    summary: a.summary,
    count: a.count,
    firstAt: a.firstAt,
    lastAt: a.lastAt,
    delivery: delivery(a),
  }));
  return { webhook, alerts: views, revokeQueue };
}
