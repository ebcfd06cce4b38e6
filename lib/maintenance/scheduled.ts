import "server-only";
import { runScheduledBalanceReads } from "@/lib/connections/balances/scheduled";
import { sweepExpiredParks } from "@/lib/connections/bank-return/parked";
import { keepTokensAlive } from "@/lib/connections/custody";
import { alertOperator } from "@/lib/operator-alert";
import { endScheduledRun, startScheduledRun } from "@/lib/readiness/runs";
import { runReminders } from "@/lib/reminders/run";
import { runMaintenance } from "./run";

// vercel.json's schedule and the route's budget (under its maxDuration of 300 s); `npm run scheduled` keeps both.
export const SCHEDULE_EVERY_MS = 15 * 60_000;
export const RUN_BUDGET_MS = 240_000;

/**
 * A day's work in slices (docs/decisions/061-a-days-work.md): each run, every 15 minutes, does what is due within its
 * budget, most urgent first: reminders, refresh tokens about to go unused for 30 days, housekeeping, then the day's
 * unattended balance reads. Every item is claimed in the row that holds it, so runs may overlap. Stopping at the
 * budget is normal (the next run resumes); work left late past what we promise (a revoke queued over a day ago) is
 * not: `late` is then true, an operator alert is raised, and the run is recorded for readiness either way.
 */
export async function runScheduledJob(budgetMs: number) {
  const run = await startScheduledRun();
  // Bank returns nobody finished are also swept at each /callback; this catches quiet days.
  const parkedReturnsEnded = await sweepExpiredParks();
  const deadline = Date.now() + budgetMs;
  const ms: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      ms[name] = Math.round(performance.now() - started);
    }
  };
  const summary = await timed("reminders", () => runReminders({ deadline }));
  const keepAlive = await timed("keepAlive", () => keepTokensAlive({ deadline }));
  const maintenance = await timed("maintenance", () => runMaintenance({ deadline }));
  const balances = await timed("balances", () => runScheduledBalanceReads({ deadline }));
  const late = maintenance.revokeQueue.late;
  if (late)
    await alertOperator(
      "work_late",
      `The scheduled job left ${maintenance.revokeQueue.size} revoke(s) waiting more than a day`,
    );
  const finished = summary.finished && keepAlive.finished && balances.finished;
  await endScheduledRun(run, { finished, late });
  return {
    late,
    body: { ...summary, finished, parkedReturnsEnded, keepAlive, maintenance, balances, late, ms },
  };
}
