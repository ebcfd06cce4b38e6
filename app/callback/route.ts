import { after } from "next/server";
import { getCurrentUser } from "@/lib/auth/session";
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
  try {
    const user = await getCurrentUser();
    path = await handleCallback(params, user?.id ?? null, {
      browserHash: await browserBindingHash(),
      park: parkInThisBrowser,
      psuIp: psuIpFrom(request.headers),
      clientIp: clientIpOf(request.headers),
    });
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
