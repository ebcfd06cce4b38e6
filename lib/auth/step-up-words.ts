const WHAT: Record<string, string> = {
  "/settings/data": "See or download your data",
  "/settings/delete": "Delete your account",
};

/** What a fresh sign-in is asked for, in the words of the page that asks ("… needs a sign-in from …"). */
export function stepUpWhat(returnTo: string): string {
  return WHAT[returnTo] ?? (returnTo.startsWith("/operator") ? "Operator pages" : "This page");
}
