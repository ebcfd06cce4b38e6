import { ConnectionsLink } from "@/app/_components/links";
import { AlreadyRenewed } from "@/app/(app)/reconfirm/_components/already-renewed";
import { bankReturnFailureWords } from "@/lib/connections/connect/outcome";
import type { ConnectionRow } from "@/lib/connections/queries";

/** A return from the bank that did not renew: still finishing, not this connection's, not needed, or failed. */
export function NotFinished({
  pending,
  renewed,
  reason,
}: {
  pending: boolean;
  renewed: ConnectionRow[];
  reason?: string;
}) {
  if (reason === "not_this_connection") {
    return (
      <>
        <h1 className="text-2xl font-bold">That return from your bank wasn't used</h1>
        <p role="alert" className="mt-2 text-base">
          It wasn't for the connection you were renewing: it came from a different login at your bank. We
          didn't use it and kept nothing from it. Your connections are as they were.
        </p>
        <ConnectionsLink />
      </>
    );
  }
  // A second tab's return after the first one renewed: say what is true now, not "try again".
  if (!pending && renewed.length > 0) {
    return (
      <AlreadyRenewed
        renewed={renewed}
        intro="This return from your bank wasn't needed, so it was not used. Nothing was lost:"
      />
    );
  }
  return (
    <>
      <h1 className="text-2xl font-bold">
        {pending ? "Still finishing with your bank" : "We couldn't finish renewing at your bank"}
      </h1>
      <p role={pending ? undefined : "alert"} className="mt-2 text-base text-muted">
        {pending ? "Refresh this page in a moment." : bankReturnFailureWords(reason ?? "")}
      </p>
      <ConnectionsLink />
    </>
  );
}
