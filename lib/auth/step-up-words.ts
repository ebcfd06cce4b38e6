const WHAT: Record<string, string> = {
  "/settings/data": "See or download your data",
  "/settings/delete": "Delete your account",
};

export function stepUpWhat(returnTo: string): string {
  return WHAT[returnTo] ?? (returnTo.startsWith("/operator") ? "Operator pages" : "This page");
}
