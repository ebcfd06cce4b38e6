import { env } from "@/lib/env";
import { checkReadiness } from "@/lib/readiness/check";
import { checkCronAuthorization } from "@/lib/reminders/cron-auth";
import { routeHeaders } from "@/lib/security/headers";

export const dynamic = "force-dynamic";

// For operators and monitors, with the job's secret (`Authorization: Bearer $CRON_SECRET`): 200 when ready, 503 with
// what is not. /api/health stays the cheap public liveness check.
export async function GET(request: Request) {
  const headers = { "Cache-Control": "no-store", ...routeHeaders };
  const authorization = checkCronAuthorization(request.headers.get("authorization"), env().CRON_SECRET);
  if (authorization === "unconfigured")
    return Response.json({ error: "CRON_SECRET is not configured" }, { status: 503, headers });
  if (authorization === "denied") return Response.json({ error: "unauthorized" }, { status: 401, headers });
  const readiness = await checkReadiness();
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers });
}
