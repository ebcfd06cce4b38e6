import { after } from "next/server";
import { getCurrentUser } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import {
  type BalanceReadClaim,
  readClaimedAfterReturn,
  refreshBalancesAfterReturn,
} from "@/lib/connections/balances/refresh";
import {
  type CallbackParams,
  callbackParamsFrom,
  handleCallback,
} from "@/lib/connections/bank-return/callback";
import { sweepExpiredParks } from "@/lib/connections/bank-return/parked";
import { dropReturn, keepReturn, keptReturn } from "@/lib/connections/bank-return/waiting";
import { psuIpFrom } from "@/lib/connections/psu-ip";
import { seeOther } from "@/lib/http-responses";
import { failureFields, log, withRequestId } from "@/lib/log";
import { parkInThisBrowser, tripHashes } from "@/lib/security/browser-binding";
import { routeHeaders } from "@/lib/security/headers";

export const dynamic = "force-dynamic";

// TrueLayer (or the bank) sends the browser here with ?code&state or ?error, or POSTs them (form_post). It always
// ends in a redirect to one of our pages; the code never appears in a page, a log line or a Referer header.
const redirectTo = (path: string) => seeOther(path, routeHeaders);

function finish(params: CallbackParams, request: Request): Promise<Response> {
  return withRequestId(request.headers, () => finishRequest(params, request));
}

async function finishRequest(params: CallbackParams, request: Request): Promise<Response> {
  let path: string;
  const since = now();
  try {
    const user = await getCurrentUser();
    const psuIp = psuIpFrom(request.headers);
    const claimed: BalanceReadClaim[] = [];
    path = await handleCallback(params, user?.id ?? null, {
      tripHashes: await tripHashes(),
      park: parkInThisBrowser,
      keep: (kept) => keepReturn(kept, "waiting"),
      psuIp,
      ...(user ? { readClaimed: (claim: BalanceReadClaim) => claimed.push(claim) } : {}),
      sweepParks: () =>
        after(() =>
          sweepExpiredParks().catch((error) => log.warn("callback.sweep_failed", failureFields(error))),
        ),
    });
    // A connect or a renewal at the bank: its balances are read once the browser has its answer (a new
    // connection's read was claimed as it was stored).
    if (claimed.length > 0) readClaimedAfterReturn(claimed, psuIp);
    else if (user) refreshBalancesAfterReturn(user.id, since, psuIp);
  } catch (error) {
    log.error("callback.failed", failureFields(error));
    path = "/connections/problem?reason=unexpected";
  }
  return redirectTo(path);
}

export async function GET(request: Request) {
  const query = new URL(request.url).searchParams;
  if (query.get("posted") !== null) {
    const kept = await keptReturn("posted");
    await dropReturn();
    return kept && !kept.expired
      ? finish(kept.params, request)
      : redirectTo("/connections/problem?reason=link");
  }
  return finish(
    callbackParamsFrom((field) => query.get(field)),
    request,
  );
}

// A cross-site POST carries none of our SameSite=Lax cookies: its fields are kept, sealed, in this browser for
// the GET of ours it is sent to, where the cookies are present and the same rules apply. Nothing is stored here.
export async function POST(request: Request) {
  const form = await request.formData().catch(() => null);
  const params = form
    ? callbackParamsFrom((field) => {
        const value = form.get(field);
        return typeof value === "string" ? value : null;
      })
    : {};
  if (!params.code && !params.exchange_code && !params.error)
    return redirectTo("/connections/problem?reason=link");
  await keepReturn(params, "posted");
  return redirectTo("/callback?posted=1");
}
