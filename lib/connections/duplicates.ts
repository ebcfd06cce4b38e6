// The bank is chosen in TrueLayer's dialog, so a second connection to a bank the user already shares
// from can only be seen once it is made: the result page says so, and leaves both in place.

type Row = { id: string; providerId: string; providerName: string; status: string };

export function sameBankElsewhere<T extends Row>(connection: Row, all: readonly T[]): T[] {
  return all.filter(
    (c) => c.id !== connection.id && c.status !== "REVOKED" && c.providerId === connection.providerId,
  );
}

export function duplicateWarning(providerName: string, others: number): string | undefined {
  if (others < 1) return undefined;
  const total = others + 1;
  const spare = total === 2 ? "both, stop sharing from the one" : "all of them, stop sharing from the ones";
  return `You were already sharing from ${providerName}, so you now have ${total} connections to it, each with its own card. If you don't need ${spare} you don't need on your connections page.`;
}
