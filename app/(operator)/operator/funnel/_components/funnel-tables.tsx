import type { FunnelBankRow, FunnelStepRow } from "@/lib/funnel/queries";
import { PER_BANK_STEPS, SHORT_LABEL, shareOf } from "@/lib/funnel/steps";
import { ScrollTable } from "../../_components/scroll-table";

const CELL = "py-2 pr-3 text-right tabular-nums";
const LAST = "py-2 text-right tabular-nums";
const HEAD = "border-b border-gray-300";
const right = (label: string) => ({ label, className: "py-2 pr-3 text-right" });

/** People per step as bars, each with its share of those reminded. */
export function StepChart({ steps, reminded }: { steps: FunnelStepRow[]; reminded: number }) {
  const widest = Math.max(1, ...steps.map((s) => s.users));
  return (
    <ol className="mt-4 space-y-3">
      {steps.map((s) => (
        <li key={s.step}>
          <div className="flex justify-between gap-3 text-sm">
            <span className="font-medium">{s.label}</span>
            <span className="tabular-nums text-muted">
              {s.users} · {shareOf(s.users, reminded)}
            </span>
          </div>
          <div className="mt-1 h-3 rounded bg-brand-50" aria-hidden="true">
            <div className="h-3 rounded bg-brand-600" style={{ width: `${(s.users / widest) * 100}%` }} />
          </div>
        </li>
      ))}
    </ol>
  );
}

export function StepTable({ steps, reminded }: { steps: FunnelStepRow[]; reminded: number }) {
  const columns = [{ label: "Step", className: "py-2 pr-3" }, right("People"), right("Of reminded")];
  return (
    <ScrollTable columns={[...columns, { label: "Events", className: "py-2 text-right" }]} headRow={HEAD}>
      {steps.map((s) => (
        <tr key={s.step} className="border-b border-gray-100">
          <th scope="row" className="py-2 pr-3 font-medium">
            {s.label}
          </th>
          <td className={CELL}>{s.users}</td>
          <td className={CELL}>{shareOf(s.users, reminded)}</td>
          <td className={LAST}>{s.events}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}

export function BankTable({ banks }: { banks: FunnelBankRow[] }) {
  if (banks.length === 0)
    return <p className="mt-2 text-sm text-muted">Nothing recorded in the last 30 days.</p>;
  const columns = [
    { label: "Bank", className: "py-2 pr-3" },
    ...PER_BANK_STEPS.map((step) => right(SHORT_LABEL[step] ?? step)),
    { label: "Lapsed", className: "py-2 text-right" },
  ];
  return (
    <ScrollTable columns={columns} headRow={HEAD}>
      {banks.map((b) => (
        <tr key={b.providerId} className="border-b border-gray-100">
          <th scope="row" className="py-2 pr-3 font-medium">
            {b.providerName}
          </th>
          {PER_BANK_STEPS.map((step) => (
            <td key={step} className={CELL}>
              {b.connections[step]}
            </td>
          ))}
          <td className={LAST}>{b.lapsed}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}
