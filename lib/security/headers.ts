// Pure, so it can be tested; proxy.ts fills in the per-request nonce.
export type PolicyInput = {
  nonce: string;
  // `next dev` needs eval for React's debugging tools and a websocket for hot reload.
  development: boolean;
  production: boolean;
  formOrigins: string[];
  imageOrigins: string[];
};

export function contentSecurityPolicy(input: PolicyInput): string {
  const script = [
    `'self'`,
    `'nonce-${input.nonce}'`,
    `'strict-dynamic'`,
    ...(input.development ? [`'unsafe-eval'`] : []),
  ];
  // A server action redirecting to the bank is a form navigation, and banks' hosts are not known in advance.
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

// Route handlers set their own, stricter headers; the proxy must not replace them, since its headers win.
const ROUTE_HANDLERS = /^\/(callback|unsubscribe|api)(\/|$)/;

export const isRouteHandlerPath = (pathname: string) => ROUTE_HANDLERS.test(pathname);

// Refused by Sec-Fetch-Site before our or React's code; route handlers judge callers (form_post, unsubscribe).
export function isCrossSitePagePost(
  request: { method: string; pathname: string; fetchSite: string | null; origin: string | null },
  appUrl: string,
): boolean {
  if (request.method !== "POST" || isRouteHandlerPath(request.pathname)) return false;
  if (request.fetchSite !== null && request.fetchSite !== "same-origin") return true;
  return request.origin !== null && request.origin !== new URL(appUrl).origin;
}

// A route handler serves no scripts, and its URL may hold a secret.
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
          // The confirmation page's URL holds a sign-in token; its POST carries our Origin (lib/security/sign-in-origin.ts).
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

// A path in any other spelling may reach a handler in a form its guards were not written for.
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
