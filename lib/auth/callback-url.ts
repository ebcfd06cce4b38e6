export const DEFAULT_AFTER_SIGN_IN = "/connections";

const LOCAL_BASE = "http://reconsent.invalid";

/** The signed-in areas a sign-in (or the name form) may lead back to; plain segments only. */
const DESTINATIONS = /^\/(connections|reconfirm|settings|welcome|operator)(\/[A-Za-z0-9_-]+)*$/;

// Judged on the normalised URL (as the browser resolves it), so `/.//evil.example` cannot become `//evil.example`.
export function safeCallbackUrl(raw: unknown, appUrl: string = LOCAL_BASE): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return DEFAULT_AFTER_SIGN_IN;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the URL parser would silently drop these
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return DEFAULT_AFTER_SIGN_IN;
  const origin = new URL(appUrl).origin;
  const relative = raw.startsWith("/") && !raw.startsWith("//");
  if (!relative && !raw.startsWith(`${origin}/`)) return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== origin || url.username || url.password) return DEFAULT_AFTER_SIGN_IN;
  if (!DESTINATIONS.test(url.pathname)) return DEFAULT_AFTER_SIGN_IN;
  return `${url.pathname}${url.search}${url.hash}`;
}
