import type { StoredAccount } from "@/lib/connections/queries";
import { formatDate, formatTime, formatMoney as money } from "@/lib/format";

// The dashboard's balance words, apart from the status vocabulary (lib/connections/describe.ts).

/** "Updated today at 10:42 GMT" (today as London counts it), "Updated 30 November 2026 at 10:42 GMT" before. */
export function updatedAt(readAt: Date, at: Date): string {
  const sameDay = formatDate(readAt) === formatDate(at);
  return `Updated ${sameDay ? "today" : formatDate(readAt)} at ${formatTime(readAt)}`;
}

export type BalanceState = "live" | "paused" | "off";

/**
 * One account's current and available balance with when it was read. Paused connections keep their
 * last figures, said to be from before access paused.
 */
export function AccountBalance({
  balance,
  state,
  at,
}: {
  balance: StoredAccount["balance"];
  state: BalanceState;
  at: Date;
}) {
  if (state === "off") return null;
  if (!balance) {
    return (
      <p className="text-sm text-muted">
        {state === "paused" ? "No balance was read before access paused" : "Balance not read yet"}
      </p>
    );
  }
  const readAt = new Date(balance.readAt);
  return (
    <div className="text-sm">
      <dl className="flex flex-wrap gap-x-4">
        <div className="flex gap-1">
          <dt className="text-muted">Current</dt>
          <dd className="font-semibold">{money(balance.current, balance.currency)}</dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-muted">Available</dt>
          <dd className="font-semibold">{money(balance.available, balance.currency)}</dd>
        </div>
      </dl>
      <p className="text-muted">
        {updatedAt(readAt, at)}
        {state === "paused" ? " · not updated since access paused" : null}
      </p>
    </div>
  );
}

/** A plain link (a new URL, so a full load) back to this card: it shows what the read after this page found. */
export function CheckAgainLink({
  connectionId,
  bankName,
  at,
}: {
  connectionId: string;
  bankName: string;
  at: Date;
}) {
  return (
    <p className="text-sm">
      <span className="text-muted">Checking for newer balances. </span>
      <a
        href={`/connections?checked=${at.getTime()}#connection-${encodeURIComponent(connectionId)}`}
        className="inline-flex min-h-11 items-center font-medium text-brand-700 underline"
      >
        Check again<span className="sr-only">&nbsp;for {bankName} balances</span>
      </a>
    </p>
  );
}
