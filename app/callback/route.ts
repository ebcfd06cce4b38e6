import { after } from "next/server";
import { getCurrentUser } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { refreshBalancesAfterReturn } from "@/lib/connections/balances/refresh";
import {
  type CallbackParams,
  callbackParamsFrom,
  handleCallback,
} from "@/lib/connections/bank-return/callback";
import { sweepExpiredParks } from "@/lib/connections/bank-return/parked";
import { recordCallbackPost, takeCallbackPost } from "@/lib/connections/bank-return/posted";
import { psuIpFrom } from "@/lib/connections/psu-ip";
import { env } from "@/lib/env";
import { isRecordId } from "@/lib/ids";
import { browserBindingHash, parkInThisBrowser } from "@/lib/security/browser-binding";
import { clientIpOf } from "@/lib/security/client-ip";
import { routeHeaders } from "@/lib/security/headers";
import { redact } from "@/lib/truelayer";

export const dynamic = "force-dynamic";

// TrueLayer (or the bank) sends the browser here with ?code&state or ?error, or POSTs them
// (form_post). It always ends in a redirect to one of our pages; the code never appears in a page,
// a log line or a Referer header.
function redirectTo(path: string): Response {
  return new Response(null, {
    status: 303,
    headers: {
      Location: new URL(path, env().APP_URL).toString(),
      "Cache-Control": "no-store",
      ...routeHeaders,
    },
  });
}

async function finish(params: CallbackParams, request: Request): Promise<Response> {
  let path: string;
  const since = now();
  try {
    const user = await getCurrentUser();
    const psuIp = psuIpFrom(request.headers);
    path = await handleCallback(params, user?.id ?? null, {
      browserHash: await browserBindingHash(),
      park: parkInThisBrowser,
      psuIp,
      clientIp: clientIpOf(request.headers),
    });
    // A connect or a renewal at the bank: its balances are read once the browser has its answer.
    if (user) refreshBalancesAfterReturn(user.id, since, psuIp);
  } catch (error) {
    console.error("Callback failed", redact(error));
    path = "/connections/problem?reason=unexpected";
  }
  after(() =>
    sweepExpiredParks().catch((error) => console.warn("Sweeping parked returns failed", redact(error))),
  );
  return redirectTo(path);
}

export async function GET(request: Request) {
  const query = new URL(request.url).searchParams;
  const posted = query.get("r");
  if (posted !== null) {
    const params = isRecordId(posted) ? await takeCallbackPost(posted) : null;
    return params ? finish(params, request) : redirectTo("/connections/problem?reason=link");
  }
  return finish(
    callbackParamsFrom((field) => query.get(field)),
    request,
  );
}

export async function POST(request: Request) {
  const form = await request.formData().catch(() => null);
  const id = form ? await recordCallbackPost(form) : null;
  return redirectTo(id ? `/callback?r=${encodeURIComponent(id)}` : "/connections/problem?reason=link");
}
