export const DEFAULT_AFTER_SIGN_IN = "/connections";

const LOCAL_BASE = "http://reconsent.invalid";

/**
 * Where to go after signing in: only a path on this site, never another origin (no open redirect),
 * and never back into the sign-in pages or next-auth's own routes.
 */
export function safeCallbackUrl(raw: unknown, appUrl?: string): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return DEFAULT_AFTER_SIGN_IN;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return DEFAULT_AFTER_SIGN_IN;
  let candidate = raw;
  if (appUrl && raw.startsWith(`${appUrl}/`)) candidate = raw.slice(appUrl.length);
  if (!candidate.startsWith("/") || candidate.startsWith("//")) return DEFAULT_AFTER_SIGN_IN;
  const url = new URL(candidate, LOCAL_BASE);
  if (url.origin !== LOCAL_BASE) return DEFAULT_AFTER_SIGN_IN;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (/^\/(signin|api\/auth)(\/|$|\?)/.test(url.pathname)) return DEFAULT_AFTER_SIGN_IN;
  return path;
}
