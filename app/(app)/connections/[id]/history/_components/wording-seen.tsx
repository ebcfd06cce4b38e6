import type { SeenWording } from "@/lib/connections/history-entries";

/** The exact words a reconfirmation showed, rebuilt from its stored template, folded away until asked for. */
export function WordingSeen({ wording }: { wording: SeenWording }) {
  return (
    <details className="mt-2">
      <summary className="min-h-11 cursor-pointer py-2 font-medium text-brand-700 underline">
        What you agreed to
      </summary>
      <div className="mt-2 space-y-2 text-base">
        <p className="font-semibold">{wording.heading}</p>
        <p>{wording.summary}</p>
        {wording.accounts.length > 0 ? (
          <>
            <p className="text-sm font-semibold text-muted">Accounts</p>
            <ul className="list-disc pl-5">
              {wording.accounts.map((a) => (
                <li key={a} className="break-words">
                  {a}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="text-sm font-semibold text-muted">Data shared</p>
        <ul className="list-disc pl-5">
          {wording.data.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
        <dl className="space-y-2">
          {wording.points.map((point) => (
            <div key={point.title}>
              <dt className="text-sm font-semibold text-muted">{point.title}</dt>
              <dd>{point.body}</dd>
            </div>
          ))}
        </dl>
        <p className="text-sm text-muted">Wording version {wording.version}</p>
      </div>
    </details>
  );
}
