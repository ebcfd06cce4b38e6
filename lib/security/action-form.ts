// React throws (Next: bare 500) on `$ACTION_…` parts it cannot decode, before our code: proxy.ts answers 400 first.
const PART = /^\$ACTION_(\d+):(\d+)$/;
const REFERENCE = /^\$@(\d+)$/;

function references(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") {
    const match = REFERENCE.exec(value);
    if (match?.[1]) out.push(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) references(item, out);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) references(item, out);
  }
  return out;
}

export function isMalformedActionForm(fields: Iterable<[string, unknown]>): boolean {
  const parts = new Map<string, unknown>();
  for (const [name, value] of fields) {
    const match = PART.exec(name);
    if (!match) continue;
    if (typeof value !== "string") return true;
    try {
      parts.set(`${match[1]}:${match[2]}`, JSON.parse(value));
    } catch {
      return true;
    }
  }
  for (const [key, value] of parts) {
    const prefix = key.split(":")[0];
    if (references(value).some((k) => !parts.has(`${prefix}:${k}`))) return true;
  }
  return false;
}

/** Only plain form posts to pages can carry these fields; JSON-encoded React posts are left to React. */
export function mayCarryActionFields(method: string, contentType: string | null, pathname: string): boolean {
  if (method !== "POST" || pathname.startsWith("/api/") || pathname === "/callback") return false;
  const type = (contentType ?? "").toLowerCase();
  return type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded");
}
