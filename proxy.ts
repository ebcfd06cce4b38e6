import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { originOf, securityHeaders } from "@/lib/security/headers";

/** Security headers on every response, with a fresh CSP nonce that Next applies to its own scripts. */
export function proxy(request: NextRequest) {
  const config = env();
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
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
