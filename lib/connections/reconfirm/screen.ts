import "server-only";
import type { Actor } from "@/lib/auth/reminder-session";
import { consentState, justRenewed } from "../consent-state";
import { type ConnectionRow, dueFor, getUserConnections } from "../queries";
import { connectionWords } from "../status-words";

// What the reconfirmation screen shows, decided here so its page only lays it out (decision 055).

/** The banks the screen asks about, and those renewed meanwhile (another tab, a later try). */
export async function shownConnections(actor: Actor, named: string | undefined, at: Date) {
  const { user, only } = actor;
  if (!named) {
    const due = await dueFor(user.id, at);
    return { shown: due.filter((row) => !only || only.has(row.id)), renewed: [] };
  }
  const rows = (await getUserConnections(user.id, [named])).filter((row) => row.status !== "REVOKED");
  return {
    shown: rows.filter((row) => !justRenewed(row, at)),
    renewed: rows.filter((row) => justRenewed(row, at)),
  };
}

// Before the yes, every try; not consent wording (it is the trip's). Any bank may ask on a first try (TrueLayer
// decides after the yes): "may"; one that asked last time or is known to need the user: "will probably".
export function bankTripNote(connection: ConnectionRow, at: Date): string {
  const likely = consentState(connection, at) === "needs_bank" || connection.bankAskedLast;
  return likely
    ? `${connection.providerName} will probably ask you to log in to confirm it's you. We'll take you there and bring you back here.`
    : `${connection.providerName} may ask you to log in to confirm it's you. If it does, we'll take you there and bring you back here.`;
}

export function bankExtras(connections: ConnectionRow[], at: Date, appName: string) {
  return Object.fromEntries(
    connections.map((c) => [
      c.id,
      {
        logoUrl: c.providerLogoUrl,
        accessLine: connectionWords(c, at, appName).access,
        bankTrip: bankTripNote(c, at),
      },
    ]),
  );
}
