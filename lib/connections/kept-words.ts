// What we keep of the figures read from a bank, and for how long: one set of words for the data page, the
// JSON download and the privacy notice (docs/decisions/047-balances-kept.md). The custody statement that
// stops a connection erases its figures, and the maintenance job erases any a read stored too late.

/** The privacy notice's sentence. */
export const BALANCES_KEPT =
  "Of your balances, only the latest current and available balance of each account and when it was read: each read replaces the one before. We erase them as soon as sharing from that bank stops, and with your account.";

export function balancesKeptFor(status: string): string {
  if (status === "REVOKED") return "None: erased when sharing from this bank stopped.";
  return "The latest balance read for each account, with when it was read. Each read replaces the one before; erased as soon as sharing from this bank stops.";
}
