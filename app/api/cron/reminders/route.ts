import { runScheduledBalanceReads } from "@/lib/connections/balances/scheduled";
import { sweepExpiredParks } from "@/lib/connections/bank-return/parked";
import { env } from "@/lib/env";
import { runMaintenance } from "@/lib/maintenance/run";
import { checkCronAuthorization } from "@/lib/reminders/cron-auth";
import { runReminders } from "@/lib/reminders/run";
import { routeHeaders } from "@/lib/security/headers";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// Leaves headroom under maxDuration: connections not reached are picked up by the next run.
const BUDGET_MS = 45_000;

// Called daily by Vercel Cron (vercel.json); other hosts run `npm run reminders` instead.
async function handle(request: Request): Promise<Response> {
  const headers = { "Cache-Control": "no-store", ...routeHeaders };
  const authorization = checkCronAuthorization(request.headers.get("authorization"), env().CRON_SECRET);
  if (authorization === "unconfigured")
    return Response.json({ error: "CRON_SECRET is not configured" }, { status: 503, headers });
  if (authorization === "denied") return Response.json({ error: "unauthorized" }, { status: 401, headers });
  // Bank returns nobody finished are also swept at each /callback; this catches quiet days.
  const parkedReturnsEnded = await sweepExpiredParks();
  const deadline = Date.now() + BUDGET_MS;
  const summary = await runReminders({ deadline });
  const maintenance = await runMaintenance({ deadline });
  const balances = await runScheduledBalanceReads({ deadline });
  return Response.json({ ...summary, parkedReturnsEnded, maintenance, balances }, { headers });
}

export const GET = handle;
export const POST = handle;
