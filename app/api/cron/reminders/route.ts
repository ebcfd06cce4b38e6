import { env } from "@/lib/env";
import { withRequestId } from "@/lib/log";
import { runScheduledJob } from "@/lib/maintenance/scheduled";
import { checkCronAuthorization } from "@/lib/reminders/cron-auth";
import { routeHeaders } from "@/lib/security/headers";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// Leaves headroom under maxDuration: connections not reached are picked up by the next run.
const BUDGET_MS = 45_000;

// Called daily by Vercel Cron (vercel.json); other hosts run `npm run reminders` instead. 2xx when the run did its
// work or stopped at its budget; 500 when it left work late (Vercel then shows the run as failed).
async function handle(request: Request): Promise<Response> {
  const headers = { "Cache-Control": "no-store", ...routeHeaders };
  const authorization = checkCronAuthorization(request.headers.get("authorization"), env().CRON_SECRET);
  if (authorization === "unconfigured")
    return Response.json({ error: "CRON_SECRET is not configured" }, { status: 503, headers });
  if (authorization === "denied") return Response.json({ error: "unauthorized" }, { status: 401, headers });
  const { late, body } = await withRequestId(request.headers, () => runScheduledJob(BUDGET_MS));
  return Response.json(body, { status: late ? 500 : 200, headers });
}

export const GET = handle;
export const POST = handle;
