import "server-only";
import { checkRenewalFailureRate } from "@/lib/alerts/renewal-rate";
import { runScheduledBalanceReads } from "@/lib/connections/balances/unattended";
import { sweepExpiredParks } from "@/lib/connections/bank-return/parked";
import { alertOperator } from "@/lib/operator-alert";
import { lateReminders } from "@/lib/readiness/late-work";
import { endScheduledRun, startScheduledRun } from "@/lib/readiness/runs";
import { runReminders } from "@/lib/reminders/send-reminders";
import { runMaintenance } from "./run";

/**
 * The daily job: reminders, housekeeping, balances, within a budget. Stopping at the budget is normal (the next run
 * resumes); work late past what we promise is not: a reminder overdue when the run began (sent late, if at all) or
 * still overdue when it ends, or a revoke queued over a day ago. `late` is then true, an operator alert is raised,
 * and the run is recorded for readiness either way.
 */
export async function runScheduledJob(budgetMs: number) {
  const run = await startScheduledRun();
  const overdueAtStart = await lateReminders();
  // Bank returns nobody finished are also swept at each /callback; this catches quiet days.
  const parkedReturnsEnded = await sweepExpiredParks();
  const deadline = Date.now() + budgetMs;
  const summary = await runReminders({ deadline });
  const maintenance = await runMaintenance({ deadline });
  const balances = await runScheduledBalanceReads({ deadline });
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
  await endScheduledRun(run, { finished: summary.finished, late });
  return {
    late,
    body: { ...summary, lateReminders: reminders, parkedReturnsEnded, maintenance, balances, renewals, late },
  };
}
