/**
 * The Content-Security-Policy and other security headers for every response. Pure, so it can be
 * tested; proxy.ts fills in the per-request nonce.
 */
export type PolicyInput = {
  nonce: string;
  /** `next dev` needs eval for React's debugging tools and a websocket for hot reload. */
  development: boolean;
  production: boolean;
  /** Origins besides our own that forms may lead to (TrueLayer's auth dialog, the simulator). */
  formOrigins: string[];
  /** Origins images may come from (bank logos). */
  imageOrigins: string[];
};

export function contentSecurityPolicy(input: PolicyInput): string {
  const script = [
    `'self'`,
    `'nonce-${input.nonce}'`,
    `'strict-dynamic'`,
    ...(input.development ? [`'unsafe-eval'`] : []),
  ];
  // A server action that ends in a redirect to the bank counts as a form navigation: banks' hosts are
  // not known in advance, so production allows any https origin there.
  const form = [`'self'`, ...input.formOrigins, ...(input.production ? ["https:"] : [])];
  const directives = [
    `default-src 'self'`,
    `script-src ${script.join(" ")}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: ${input.production ? "https:" : input.imageOrigins.join(" ")}`.trim(),
    `font-src 'self'`,
    `connect-src 'self'${input.development ? " ws:" : ""}`,
    `form-action ${form.join(" ")}`,
    `frame-ancestors 'none'`,
    `base-uri 'self'`,
    `object-src 'none'`,
    ...(input.production ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/**
 * Route handlers (not pages) set their own, stricter Content-Security-Policy and Referrer-Policy
 * (`routeHeaders`); the proxy must not replace them, since headers it sets win over the route's.
 */
const ROUTE_HANDLERS = /^\/(callback|unsubscribe|api)(\/|$)/;

export const isRouteHandlerPath = (pathname: string) => ROUTE_HANDLERS.test(pathname);

/**
 * A POST to a page (a server action) that a browser says came from another site. Next checks the
 * Origin of actions itself; this refuses them before any of our code or React's runs, by the
 * browser's own Sec-Fetch-Site first. Route handlers judge their own callers (TrueLayer's form_post,
 * a mail client's one-click unsubscribe), so they are not covered here.
 */
export function isCrossSitePagePost(
  request: { method: string; pathname: string; fetchSite: string | null; origin: string | null },
  appUrl: string,
): boolean {
  if (request.method !== "POST" || isRouteHandlerPath(request.pathname)) return false;
  if (request.fetchSite !== null && request.fetchSite !== "same-origin") return true;
  return request.origin !== null && request.origin !== new URL(appUrl).origin;
}

/** What a route handler's own response carries: it serves no scripts, and its URL may hold a secret. */
export const routeHeaders = {
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; form-action 'self'",
  "Referrer-Policy": "no-referrer",
} as const;

export function securityHeaders(input: PolicyInput & { pathname: string }): Record<string, string> {
  const page = !isRouteHandlerPath(input.pathname);
  return {
    ...(page
      ? {
          "Content-Security-Policy": contentSecurityPolicy(input),
          // The confirmation page's URL holds a sign-in token: it may only go to our own origin,
          // whose Origin header its POST then carries (lib/security/sign-in-origin.ts).
          "Referrer-Policy": input.pathname.startsWith("/signin/confirm")
            ? "same-origin"
            : "strict-origin-when-cross-origin",
        }
      : {}),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(input.production
      ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload" }
      : {}),
  };
}

/**
 * Every path we serve is plain: no percent-encoding, backslashes, doubled slashes, dot segments or
 * control characters. A path in any other spelling may reach the same handler in some other form
 * than the one its guards were written for, so it is refused before anything runs.
 */
export function isCanonicalPath(pathname: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return !/%|\\|\/\/|\/\.\.?(\/|$)|[\u0000-\u0020\u007f]/.test(pathname);
}

export function originOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).origin];
  } catch {
    return [];
  }
}
