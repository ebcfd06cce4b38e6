// The page after a deletion names the banks whose revoke is still queued; bank names only, never an id.
const MAX = 20;

export function deletedPath(pending: string[]): string {
  const query = new URLSearchParams(pending.slice(0, MAX).map((name) => ["pending", name.slice(0, 80)]));
  return `/account-deleted${pending.length ? `?${query}` : ""}`;
}

export function pendingFrom(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.slice(0, MAX).map((name) => name.slice(0, 80));
}
