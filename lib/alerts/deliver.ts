import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { type AlertRow, alertTitle, claimUndelivered, markDelivered, markFailed } from "./outbox";

export type DeliverySummary = { delivered: number; failed: number; webhook: boolean };

function payload(row: AlertRow, appUrl: string) {
  const title = alertTitle(row.kind);
  const times = row.count > 1 ? ` (${row.count} times since ${row.firstAt.toISOString()})` : "";
  return {
    id: row.id,
    kind: row.kind,
    title,
    summary: row.summary,
    count: row.count,
    firstAt: row.firstAt.toISOString(),
    lastAt: row.lastAt.toISOString(),
    statusPage: `${appUrl}/operator/status`,
    // Slack and Teams incoming webhooks show `text`.
    text: `${title}: ${row.summary}${times}. ${appUrl}/operator/status`,
  };
}

async function post(url: string, body: unknown, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    await response.body?.cancel();
    return response.ok ? null : `http_${response.status}`;
  } catch (error) {
    return error instanceof Error && error.name === "TimeoutError" ? "timeout" : "unreachable";
  }
}

/** Posts undelivered alerts to ALERT_WEBHOOK_URL; one that fails waits longer each time. Without a webhook, none. */
export async function deliverAlerts(
  options: { deadline?: number; timeoutMs?: number } = {},
): Promise<DeliverySummary> {
  const { ALERT_WEBHOOK_URL: url, APP_URL } = env();
  const summary = { delivered: 0, failed: 0, webhook: Boolean(url) };
  if (!url) return summary;
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  while (Date.now() < deadline) {
    const due = await claimUndelivered();
    if (due.length === 0) break;
    for (const row of due) {
      const failure = await post(url, payload(row, APP_URL), options.timeoutMs ?? 10_000);
      if (failure === null) {
        await markDelivered(row.id);
        summary.delivered++;
      } else {
        // The URL is a secret of its own (a webhook's key is in it): only our code for what went wrong.
        log.warn("operator_alert.delivery_failed", { kind: row.kind, code: failure });
        await markFailed(row, failure);
        summary.failed++;
      }
    }
  }
  return summary;
}
