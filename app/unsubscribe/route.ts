import { env } from "@/lib/env";
import { setRemindersEnabled } from "@/lib/reminders/preferences";
import { confirmPage, donePage, html, invalidLinkPage } from "@/lib/reminders/unsubscribe-page";
import { verifyUnsubscribeToken } from "@/lib/reminders/unsubscribe-token";

export const dynamic = "force-dynamic";

// No sign-in: the signed token is the permission, and it only ever covers the user it was made for.
// GET only shows a button (mail scanners follow links); POST stops the emails, from that button or
// from a mail client's RFC 8058 one-click request to this same URL.

const settingsUrl = () => new URL("/settings", env().APP_URL).toString();

export async function GET(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get("token");
  if (!verifyUnsubscribeToken(token)) return html(invalidLinkPage(settingsUrl()), 400);
  const action = new URL("/unsubscribe", env().APP_URL);
  action.searchParams.set("token", token ?? "");
  return html(confirmPage(action.toString()));
}

export async function POST(request: Request): Promise<Response> {
  const userId = verifyUnsubscribeToken(new URL(request.url).searchParams.get("token"));
  if (!userId) return html(invalidLinkPage(settingsUrl()), 400);
  await setRemindersEnabled(userId, false);
  return html(donePage(settingsUrl()));
}
