import { type NextRequest, NextResponse } from "next/server";
import { brand } from "@/lib/brand";
import { env } from "@/lib/env";
import { isMalformedActionForm, mayCarryActionFields } from "@/lib/security/action-form";
import { isCanonicalPath, isCrossSitePagePost, originOf, securityHeaders } from "@/lib/security/headers";

/**
 * Before anything else runs: a path in a non-canonical spelling is refused, a page POST from another
 * site gets a 403, malformed no-JavaScript action posts get a 400, and every response gets security headers with a fresh CSP nonce that Next
 * applies to its own scripts (route handlers keep their own stricter CSP and Referrer-Policy).
 */
export async function proxy(request: NextRequest) {
  const config = env();
  if (!isCanonicalPath(request.nextUrl.pathname)) {
    return new NextResponse("Not found.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const crossSite = isCrossSitePagePost(
    {
      method: request.method,
      pathname: request.nextUrl.pathname,
      fetchSite: request.headers.get("sec-fetch-site"),
      origin: request.headers.get("origin"),
    },
    config.APP_URL,
  );
  if (crossSite) {
    return new NextResponse(`This form can only be sent from ${brand().appName}'s own pages.`, {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  if (mayCarryActionFields(request.method, request.headers.get("content-type"), request.nextUrl.pathname)) {
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    if (!form || isMalformedActionForm(form.entries())) {
      return new NextResponse("This form could not be read. Please reload the page and try again.", {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders({
    nonce,
    pathname: request.nextUrl.pathname,
    development: process.env.NODE_ENV === "development",
    production: config.isProduction,
    formOrigins: originOf(config.TRUELAYER_AUTH_URL),
    imageOrigins: [...originOf(config.TRUELAYER_API_URL), ...originOf(config.BRAND_LOGO_URL)],
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // Layouts cannot see the path; the signed-in shell hides its banner where the banner points.
  requestHeaders.set("x-pathname", request.nextUrl.pathname);
  const csp = headers["Content-Security-Policy"];
  if (csp) requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

// Pages, actions and route handlers only; Next's own endpoints never go through the proxy: its assets
// (`_next/static`, `_next/image`), its development endpoints (`_next/hmr`, the hot-reload socket, and
// the `__nextjs_*` overlay routes) and the favicon. With the proxy on `_next/`, `next dev` reloaded
// each page about three times a second (issue 13; e2e/demo.spec.ts). None of these serves a page,
// so none needs the page headers. PGlite's writes into `.data/` were ruled out: they trigger no rebuild.
export const config = {
  matcher: [{ source: "/((?!_next/|__nextjs|favicon.ico).*)" }],
};
