import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { isMalformedActionForm, mayCarryActionFields } from "@/lib/security/action-form";
import { originOf, securityHeaders } from "@/lib/security/headers";
import { signInRefusal } from "@/lib/security/sign-in-origin";

/** Security headers on every response, with a fresh CSP nonce that Next applies to its own scripts. */
export async function proxy(request: NextRequest) {
  const config = env();
  const refusal = signInRefusal(
    {
      method: request.method,
      pathname: request.nextUrl.pathname,
      origin: request.headers.get("origin"),
      fetchSite: request.headers.get("sec-fetch-site"),
    },
    config.APP_URL,
  );
  if (refusal) {
    return new NextResponse("This sign-in link can only be used from Reconsent's own page.", {
      status: refusal,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", Allow: "POST" },
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
    imageOrigins: [...originOf(config.TRUELAYER_API_URL)],
  });
  const csp = headers["Content-Security-Policy"] ?? "";
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // Layouts cannot see the path; the signed-in shell hides its banner where the banner points.
  requestHeaders.set("x-pathname", request.nextUrl.pathname);
  requestHeaders.set("Content-Security-Policy", csp);
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
