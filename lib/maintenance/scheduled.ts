import "server-only";
import { runScheduledBalanceReads } from "@/lib/connections/balances/unattended";
import { sweepExpiredParks } from "@/lib/connections/bank-return/parked";
import { alertOperator } from "@/lib/operator-alert";
import { endScheduledRun, startScheduledRun } from "@/lib/readiness/runs";
import { runReminders } from "@/lib/reminders/send-reminders";
import { runMaintenance } from "./run";

/**
 * The daily job: reminders, housekeeping, balances, within a budget. Stopping at the budget is normal (the next run
 * resumes); work left late past what we promise (a revoke queued over a day ago) is not: `late` is then true, an
 * operator alert is raised, and the run is recorded for readiness either way.
 */
export async function runScheduledJob(budgetMs: number) {
  const run = await startScheduledRun();
  // Bank returns nobody finished are also swept at each /callback; this catches quiet days.
  const parkedReturnsEnded = await sweepExpiredParks();
  const deadline = Date.now() + budgetMs;
  const summary = await runReminders({ deadline });
  const maintenance = await runMaintenance({ deadline });
  const balances = await runScheduledBalanceReads({ deadline });
  const late = maintenance.revokeQueue.late;
  if (late)
    await alertOperator(
      "work_late",
      `The scheduled job left ${maintenance.revokeQueue.size} revoke(s) waiting more than a day`,
    );
  await endScheduledRun(run, { finished: summary.finished, late });
  return { late, body: { ...summary, parkedReturnsEnded, maintenance, balances, late } };
}
