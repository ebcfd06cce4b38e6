// The page after a deletion names the banks whose revoke is still queued; bank names only, never an id.
const MAX = 20;

export function deletedPath(pending: string[], unfinished = false): string {
  const query = new URLSearchParams(pending.slice(0, MAX).map((name) => ["pending", name.slice(0, 80)]));
  if (unfinished) query.set("unfinished", "1");
  return `/account-deleted${query.size ? `?${query}` : ""}`;
}

export function pendingFrom(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.slice(0, MAX).map((name) => name.slice(0, 80));
}
