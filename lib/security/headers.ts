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

export function securityHeaders(input: PolicyInput & { pathname: string }): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(input),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    // The callback URL carries the bank's code: it must never leave in a Referer header.
    "Referrer-Policy": input.pathname.startsWith("/callback")
      ? "no-referrer"
      : "strict-origin-when-cross-origin",
    ...(input.production
      ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload" }
      : {}),
  };
}

export function originOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).origin];
  } catch {
    return [];
  }
}
