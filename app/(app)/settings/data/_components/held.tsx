import { SectionCard } from "@/app/_components/section-card";
import { accountKind, describeScopes } from "@/lib/connections/describe";
import { formatDate, formatTime, formatMoney as money } from "@/lib/format";
import type { DataExport } from "@/lib/users/export-data";

// The data page's sections; the words about each connection come from the export, which takes them from
// lib/connections/status-words.ts, so the page and the JSON download say the same.

export const day = (iso: string | null) => (iso ? formatDate(new Date(iso)) : "–");
const dateTime = (iso: string) => `${formatDate(new Date(iso))} at ${formatTime(new Date(iso))}`;

export function ConnectionsHeld({ connections }: { connections: DataExport["connections"] }) {
  return (
    <SectionCard id="connections" title="Bank connections">
      {connections.length === 0 ? <p className="mt-2 text-base">None.</p> : null}
      {connections.map((c) => (
        <div key={c.id} className="mt-4">
          <h3 className="font-semibold">{c.bank}</h3>
          <p className="text-sm text-muted">
            {c.status} · {c.consent} · data: {describeScopes(c.scopes).join(", ")}
          </p>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {c.accounts.map((a) => (
              <li key={`${a.name}-${a.number}`}>
                {a.name} {a.number ?? ""} ({accountKind(a.type)}, {a.currency})
                {a.balance ? (
                  <>
                    : current {money(a.balance.current, a.currency)}, available{" "}
                    {money(a.balance.available, a.currency)}, read {dateTime(a.balance.readAt)}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          <p className="mt-1 text-sm">Balances kept: {c.balances}</p>
          <p className="mt-1 text-sm">
            History: {c.history.map((e) => `${e.said} ${day(e.at)}`).join(" · ") || "–"}
          </p>
        </div>
      ))}
    </SectionCard>
  );
}

export function ConsentsGiven({ records }: { records: DataExport["consentHistory"] }) {
  return (
    <SectionCard id="consent" title="Consents you gave">
      {records.length === 0 ? <p className="mt-2 text-base">None yet.</p> : null}
      {records.map((r) => (
        <details key={r.at + r.wordingHash} className="mt-3">
          <summary className="cursor-pointer font-medium">
            {day(r.at)}: {r.banks.map((b) => b.bank).join(", ")}
          </summary>
          {r.wording ? (
            <div className="mt-2 space-y-1 text-sm">
              <p className="font-semibold">{r.wording.heading}</p>
              <p>{r.wording.summary}</p>
              {r.wording.banks.map((b) => (
                <p key={b.connectionId}>
                  {b.bankName}: {b.accounts.join(", ")}. {b.data.join(", ")}.
                </p>
              ))}
              {r.wording.points.map((p) => (
                <p key={p.title}>
                  <span className="font-medium">{p.title}:</span> {p.body}
                </p>
              ))}
            </div>
          ) : (
            <p className="mt-2 text-sm">
              The wording of this consent was recorded before it was stored in full.
            </p>
          )}
          <p className="mt-1 text-sm">
            Result: {r.outcomes.map((o) => `${o.bank ?? ""}: ${o.said}`).join(", ") || "–"}
          </p>
        </details>
      ))}
    </SectionCard>
  );
}
