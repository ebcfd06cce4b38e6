import "server-only";
import { createReminderLink } from "@/lib/auth/reminder-link";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { recordFunnelEvents } from "@/lib/funnel/record";
import { reminderEmail } from "./email";
import { createMailer, type Mailer, sendErrorCode } from "./mailer";
import {
  type ClaimedReminder,
  claimReminders,
  countStuckReminders,
  type DueConnection,
  dueWindow,
  findDueConnectionsOfUsers,
  findDueConnectionsPage,
  markRemindersFailed,
  markRemindersSent,
  owedAt,
} from "./queries";
import { LAPSED_LOOKBACK_DAYS, THRESHOLDS, thresholdFor } from "./thresholds";
import { unsubscribeUrl } from "./unsubscribe-token";

export type ReminderRunSummary = {
  scanned: number;
  emailsSent: number;
  emailsFailed: number;
  remindersSent: number;
  stuck: number;
  finished: boolean;
};

export const BATCH_SIZE = 200;
const SEND_CONCURRENCY = 20;

type Group = { userId: string; email: string; threshold: number; reminders: ClaimedReminder[] };

// Claimed before sending, marked after: no run sends twice, failures retry, a crash after the server accepted stays
// CLAIMED, never resent (at most once).
export async function runReminders(
  options: { batchSize?: number; deadline?: number } = {},
): Promise<ReminderRunSummary> {
  const at = now();
  const window = dueWindow(at, LAPSED_LOOKBACK_DAYS, Math.max(...THRESHOLDS));
  const take = options.batchSize ?? BATCH_SIZE;
  const summary: ReminderRunSummary = {
    scanned: 0,
    emailsSent: 0,
    emailsFailed: 0,
    remindersSent: 0,
    stuck: 0,
    finished: false,
  };
  const owed = owedAt(at);
  const handledUsers = new Set<string>();
  const mailer = createMailer();
  try {
    let after: DueConnection | undefined;
    for (;;) {
      if (options.deadline && Date.now() > options.deadline) break;
      const page = await findDueConnectionsPage(window, after, take, owed);
      summary.scanned += page.length;
      const userIds = [...new Set(page.map((c) => c.userId))].filter((id) => !handledUsers.has(id));
      if (userIds.length > 0) {
        const connections = await findDueConnectionsOfUsers(window, userIds, owed);
        await remindAbout(connections, at, mailer, summary);
        for (const id of userIds) handledUsers.add(id);
      }
      if (page.length < take) {
        summary.finished = true;
        break;
      }
      after = page[page.length - 1];
    }
    summary.stuck = await countStuckReminders(window, at);
    if (summary.stuck > 0)
      console.warn(
        `[reminders] ${summary.stuck} reminder(s) were claimed but never marked sent or failed (a run stopped mid-send); they are not resent (delivery is at most once)`,
      );
  } finally {
    mailer.close();
  }
  return summary;
}

async function remindAbout(
  connections: DueConnection[],
  at: Date,
  mailer: Mailer,
  summary: ReminderRunSummary,
): Promise<void> {
  const byId = new Map(connections.map((c) => [c.id, c]));
  const keys = connections.flatMap((c) => {
    const threshold = thresholdFor(c, at);
    return threshold === null
      ? []
      : [{ connectionId: c.id, userId: c.userId, consentExpiresAt: c.consentExpiresAt, threshold }];
  });
  const claimed = await claimReminders(keys, at);

  const groups = new Map<string, Group>();
  for (const reminder of claimed) {
    const email = byId.get(reminder.connectionId)?.user.email;
    if (!email) continue;
    const key = `${reminder.userId}:${reminder.threshold}`;
    const group = groups.get(key) ?? {
      userId: reminder.userId,
      email,
      threshold: reminder.threshold,
      reminders: [],
    };
    group.reminders.push(reminder);
    groups.set(key, group);
  }

  const sent: ClaimedReminder[] = [];
  const failed = new Map<string, string[]>();
  const queue = [...groups.values()];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      try {
        await mailer.send(await mailFor(group, byId, at));
        sent.push(...group.reminders);
        summary.emailsSent += 1;
      } catch (error) {
        const code = sendErrorCode(error);
        failed.set(code, [...(failed.get(code) ?? []), ...group.reminders.map((r) => r.id)]);
        summary.emailsFailed += 1;
        console.warn(`[reminders] sending a reminder failed (${code}); it is retried on the next run`);
      }
    }
  };
  await Promise.all(Array.from({ length: SEND_CONCURRENCY }, worker));

  try {
    await markRemindersSent(
      sent.map((r) => r.id),
      at,
    );
    for (const [code, ids] of failed) await markRemindersFailed(ids, code);
  } catch (error) {
    console.warn(
      `[reminders] ${sent.length} reminder(s) were accepted by the mail server but could not be marked sent (${error instanceof Error ? error.name : "error"}); they stay CLAIMED and are not resent`,
    );
    throw error;
  }
  summary.remindersSent += sent.length;
  await recordFunnelEvents(
    sent.map((r) => ({
      step: "REMINDED" as const,
      userId: r.userId,
      connectionId: r.connectionId,
      providerId: byId.get(r.connectionId)?.providerId,
    })),
  );
}

async function mailFor(group: Group, byId: Map<string, DueConnection>, at: Date) {
  const items = group.reminders.flatMap((r) => {
    const connection = byId.get(r.connectionId);
    return connection
      ? [{ providerName: connection.providerName, consentExpiresAt: r.consentExpiresAt }]
      : [];
  });
  // A link past its cycle's grace period would only fail: those mails lead to signing in instead.
  const token = await createReminderLink(group.userId, group.reminders, at);
  const reconfirm = new URL(token ? "/reminder" : "/reconfirm", env().APP_URL);
  if (token) reconfirm.searchParams.set("token", token);
  else reconfirm.searchParams.set("src", "reminder");
  const unsubscribe = unsubscribeUrl(group.userId);
  const mail = await reminderEmail({
    threshold: group.threshold,
    items,
    reconfirmUrl: reconfirm.toString(),
    unsubscribeUrl: unsubscribe,
  });
  return { ...mail, to: group.email, unsubscribeUrl: unsubscribe };
}
