export function sharingBanks(connections: { status: string; providerName: string }[]): string[] {
  return [...new Set(connections.filter((c) => c.status !== "REVOKED").map((c) => c.providerName))];
}
