import { ButtonLink } from "@/app/_components/links";
import { now } from "@/lib/clock";
import { consentState, isDue } from "@/lib/connections/consent-state";
import { getConnectionForUser } from "@/lib/connections/queries";
import { formatDate } from "@/lib/format";
import { isRecordId } from "@/lib/ids";

/**
 * A bank page an earlier trip left open, approved after a later trip renewed the bank: what is true now, and
 * nothing that would connect the bank a second time. Null when the connection is not (or no longer) renewed.
 */
export async function RenewedReturn({ connectionId, userId }: { connectionId?: string; userId: string }) {
  if (!isRecordId(connectionId)) return null;
  const connection = await getConnectionForUser(connectionId, userId);
  const at = now();
  if (!connection?.renewedAt) return null;
  const state = consentState(connection, at);
  if (state === "revoked" || isDue(state)) return null;
  const bank = connection.providerName;
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold break-words sm:text-3xl">{bank} is already renewed</h1>
      <p role="status" className="text-base font-semibold">
        Already renewed on {formatDate(connection.renewedAt)}: nothing more to do.
      </p>
      <p className="text-base">
        Sharing from {bank} continues until {formatDate(connection.consentExpiresAt)}. The page you approved
        at your bank was from an earlier try, so it was not used and nothing more was shared.
      </p>
      <ButtonLink href="/connections" secondary>
        Back to your connections
      </ButtonLink>
    </div>
  );
}
