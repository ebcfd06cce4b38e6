import type { AlertView } from "@/lib/alerts/status";
import { formatDateTime } from "@/lib/format";

/** The operator's alerts, each with how often it fired and whether the webhook has it. */
export function AlertList({ alerts }: { alerts: AlertView[] }) {
  if (alerts.length === 0) return <p className="mt-2 text-base">No alerts.</p>;
  return (
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
  );
}
