import { env } from "@/lib/env";
import { withRequestId } from "@/lib/log";
import { RUN_BUDGET_MS, runScheduledJob } from "@/lib/maintenance/scheduled";
import { checkCronAuthorization } from "@/lib/reminders/cron-auth";
import { routeHeaders } from "@/lib/security/headers";

export const dynamic = "force-dynamic";
// 300 s: the most Hobby allows with Fluid compute, well under Pro's 800 (docs/decisions/061-a-days-work.md).
export const maxDuration = 300;

// Called every 15 minutes by Vercel Cron on Pro (vercel.json); other hosts run `npm run scheduled` instead. 2xx when the run did its
// work or stopped at its budget; 500 when it left work late (Vercel then shows the run as failed).
async function handle(request: Request): Promise<Response> {
  const headers = { "Cache-Control": "no-store", ...routeHeaders };
  const authorization = checkCronAuthorization(request.headers.get("authorization"), env().CRON_SECRET);
  if (authorization === "unconfigured")
    return Response.json({ error: "CRON_SECRET is not configured" }, { status: 503, headers });
  if (authorization === "denied") return Response.json({ error: "unauthorized" }, { status: 401, headers });
  const { late, body } = await withRequestId(request.headers, () => runScheduledJob(RUN_BUDGET_MS));
  return Response.json(body, { status: late ? 500 : 200, headers });
}

export const GET = handle;
export const POST = handle;
