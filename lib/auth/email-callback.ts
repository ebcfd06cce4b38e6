import "server-only";
import { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { brand } from "@/lib/brand";
import { env } from "@/lib/env";
import { recordSecurityEvent } from "@/lib/security/events";
import { signInRefusal } from "@/lib/security/sign-in-origin";
import { findUserIdByEmail } from "@/lib/users/queries";
import { askedHereIn } from "./asked-here";
import { safeCallbackUrl } from "./callback-url";
import { rememberedEmailHeader } from "./check-email";
import { EmailAddress } from "./email-address";
import { authOptions } from "./options";
import { markSessionAskedElsewhere, sessionUserId } from "./queries";
import { sessionCookieName } from "./session-cookie";

const TOKEN = /^[0-9a-f]{64}$/;

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra },
  });
}

// Token in the body, so no logged URL holds it; next-auth reads the query, so an in-process request hands it over.
export async function handleEmailCallback(request: Request): Promise<Response> {
  const config = env();
  const refusal = signInRefusal(
    {
      method: request.method,
      origin: request.headers.get("origin"),
      fetchSite: request.headers.get("sec-fetch-site"),
    },
    config.APP_URL,
  );
  if (refusal) {
    await recordSecurityEvent({
      kind: "SIGN_IN_REFUSED",
      reason: refusal === 405 ? "not_a_post" : "cross_site",
      unauthenticated: true,
    });
  }
  if (refusal === 405) return plain(405, "Open the link from your email to sign in.", { Allow: "POST" });
  if (refusal) return plain(403, `This sign-in link can only be used from ${brand().appName}'s own page.`);

  const form = await request.formData().catch(() => null);
  const token = form?.get("token");
  const email = EmailAddress.safeParse(form?.get("email"));
  if (typeof token !== "string" || !TOKEN.test(token) || !email.success) {
    await recordSecurityEvent({ kind: "SIGN_IN_FAILED", reason: "malformed", unauthenticated: true });
    return Response.redirect(new URL("/signin/error?error=Verification", config.APP_URL), 303);
  }
  // Session donation: a link this browser never asked for signs in only from the page that said so.
  const askedHere = askedHereIn(request.headers.get("cookie"), email.data);
  if (!askedHere && form?.get("elsewhere") !== "yes") {
    await recordSecurityEvent({
      kind: "SIGN_IN_REFUSED",
      userId: await findUserIdByEmail(email.data),
      reason: "asked_elsewhere_unconfirmed",
      subject: email.data,
      unauthenticated: true,
    });
    return Response.redirect(new URL("/signin/error?error=Elsewhere", config.APP_URL), 303);
  }
  const callbackUrl = safeCallbackUrl(form?.get("callbackUrl"), config.APP_URL);
  const internal = new URL("/api/auth/callback/email", config.APP_URL);
  internal.search = new URLSearchParams({ token, email: email.data, callbackUrl }).toString();
  const handOver = new NextRequest(internal, { method: "POST", headers: request.headers });
  const response: Response = await NextAuth(authOptions())(handOver, {
    params: Promise.resolve({ nextauth: ["callback", "email"] }),
  });
  const sessionToken = sessionTokenSetBy(response);
  if (sessionToken) {
    if (!askedHere) await markSessionAskedElsewhere(sessionToken);
    await recordSecurityEvent({
      kind: "SIGN_IN",
      userId: await sessionUserId(sessionToken),
      reason: askedHere ? "link_asked_here" : "link_asked_elsewhere",
    });
  } else {
    await recordSecurityEvent({
      kind: "SIGN_IN_FAILED",
      userId: await findUserIdByEmail(email.data),
      reason:
        new URL(response.headers.get("location") ?? "/", config.APP_URL).searchParams.get("error") ??
        "unknown",
      subject: email.data,
      unauthenticated: true,
    });
  }
  return toOurPages(response, config.APP_URL, email.data);
}

function sessionTokenSetBy(response: Response): string | null {
  const name = sessionCookieName();
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const [key, ...value] = (pair ?? "").split("=");
    if (key?.trim() === name && value.join("=")) return value.join("=");
  }
  return null;
}

/** next-auth sends its errors through its own error route, which is not served: go to ours directly. */
// A link that did not work remembers its address, so "Send a new link" opens with it filled in.
function toOurPages(response: Response, appUrl: string, email: string): Response {
  const location = response.headers.get("location");
  if (!location) return response;
  const to = new URL(location, appUrl);
  if (to.pathname !== "/api/auth/error" && to.pathname !== "/api/auth/signin") return response;
  const error = to.searchParams.get("error") ?? "Verification";
  const headers = new Headers(response.headers);
  headers.set("location", new URL(`/signin/error?error=${encodeURIComponent(error)}`, appUrl).toString());
  headers.append("set-cookie", rememberedEmailHeader(email));
  return new Response(null, { status: response.status, headers });
}
