import "server-only";
import { checkRenewalFailureRate } from "@/lib/alerts/renewal-rate";
import { runScheduledBalanceReads } from "@/lib/connections/balances/unattended";
import { sweepExpiredParks } from "@/lib/connections/bank-return/parked";
import { keepTokensAlive } from "@/lib/connections/custody";
import { alertOperator } from "@/lib/operator-alert";
import { lateReminders } from "@/lib/readiness/late-work";
import { endScheduledRun, startScheduledRun } from "@/lib/readiness/runs";
import { runReminders } from "@/lib/reminders/send-reminders";
import { runMaintenance } from "./run";

// vercel.json's schedule and the route's budget (under its maxDuration of 300 s); `npm run scheduled` keeps both.
export const SCHEDULE_EVERY_MS = 15 * 60_000;
export const RUN_BUDGET_MS = 240_000;

/** Decision 061's day's work, most urgent first, claimed per row; work late (decision 054) sets `late` and alerts. */
export async function runScheduledJob(budgetMs: number) {
  const run = await startScheduledRun();
  const overdueAtStart = await lateReminders();
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
  const overdueAtEnd = await lateReminders();
  const reminders = {
    overdueAtStart: overdueAtStart.count,
    overdueAtEnd: overdueAtEnd.count,
    oldestDueAt: overdueAtStart.oldestDueAt ?? overdueAtEnd.oldestDueAt,
  };
  const lateReminderCount = Math.max(reminders.overdueAtStart, reminders.overdueAtEnd);
  const late = maintenance.revokeQueue.late || lateReminderCount > 0;
  if (late)
    await alertOperator(
      "work_late",
      [
        lateReminderCount > 0 &&
          `${lateReminderCount} reminder(s) were more than a day later than promised (${reminders.overdueAtEnd} still unsent)`,
        maintenance.revokeQueue.late && `${maintenance.revokeQueue.size} revoke(s) waited more than a day`,
      ]
        .filter(Boolean)
        .join("; "),
    );
  const renewals = await checkRenewalFailureRate();
  const finished = summary.finished && keepAlive.finished && balances.finished;
  await endScheduledRun(run, { finished, late });
  return {
    late,
    body: {
      ...summary,
      finished,
      lateReminders: reminders,
      parkedReturnsEnded,
      keepAlive,
      maintenance,
      balances,
      renewals,
      late,
      ms,
    },
  };
}
