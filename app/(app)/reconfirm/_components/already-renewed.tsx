import { ConnectionsLink } from "@/app/_components/links";
import type { ConnectionRow } from "@/lib/connections/queries";
import { sharingContinues } from "@/lib/connections/status-words";

/** What a second tab, a late bank return or the back button shows once the renewal is done. */
export function AlreadyRenewed({ renewed, intro }: { renewed: ConnectionRow[]; intro?: string }) {
  return (
    <>
      <h1 className="text-2xl font-bold">Already renewed</h1>
      {intro ? <p className="mt-2 text-base text-muted">{intro}</p> : null}
      <ul className="mt-2 space-y-1 text-base">
        {renewed.map((c) => (
          <li key={c.id}>{sharingContinues(c.providerName, c.consentExpiresAt)}.</li>
        ))}
      </ul>
      <p className="mt-2 text-base text-muted">There is nothing more to do.</p>
      <ConnectionsLink />
    </>
  );
}
