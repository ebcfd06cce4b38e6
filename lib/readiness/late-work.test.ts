import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as cron } from "@/app/api/cron/reminders/route";
import { GET as ready } from "@/app/api/ready/route";
import { TestMailbox } from "@/inbox/test-mailbox";
import { seedBareConnection } from "@/kit";
import { sendSignInEmail } from "@/lib/auth/sign-in-email";
import { addDays, now, setClockOffset } from "@/lib/clock";
import { runScheduledJob } from "@/lib/maintenance/scheduled";
import { runReminders } from "@/lib/reminders/send-reminders";
import { newUser } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { logTo } from "../log";
import { lateReminders } from "./late-work";

// Issue 28 items 2 and 3 (decision 054).

const mailbox = new TestMailbox();
await mailbox.start();
process.env.SMTP_URL = mailbox.url;
const SECRET = "cron-secret-for-late-work-tests-0b9e4f2a";
process.env.CRON_SECRET = SECRET;
const suite = integrationSuite();
const restoreLog = logTo({ write: () => true });
const authorized = () =>
  new Request("http://127.0.0.1:3999/x", { headers: { authorization: `Bearer ${SECRET}` } });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let block = 0;
/** A stretch of the app's clock of this test's own, months from any other test's. */
function freshClock() {
  block += 1;
  setClockOffset(block * 120 * DAY);
}
function moveClock(ms: number) {
  setClockOffset(now().getTime() - Date.now() + ms);
}
/** A user with one connection whose consent ends `daysLeft` days from the app's now, connected weeks ago. */
async function connectionEnding(daysLeft: number, remindersEnabled = true) {
  const user = await newUser(suite.prisma);
  if (!remindersEnabled)
    await suite.prisma.user.update({ where: { id: user.id }, data: { remindersEnabled } });
  const consentExpiresAt = addDays(now(), daysLeft);
  moveClock(-60 * DAY);
  const id = await seedBareConnection(user.id, {
    providerId: "uk-ob-monzo",
    providerName: "Monzo",
    consentCreatedAt: addDays(consentExpiresAt, -90),
    consentExpiresAt,
  });
  moveClock(60 * DAY);
  return { id, email: user.email as string };
}
/** This test's "work late" alerts (each test's clock is months from the others'). */
const alerts = () =>
  suite.prisma.operatorAlert.findMany({
    where: { kind: "work_late", firstAt: { gte: addDays(now(), -10), lte: addDays(now(), 10) } },
  });

afterEach(async () => {
  setClockOffset(0);
  mailbox.clear();
  await suite.prisma.user.deleteMany();
});
afterAll(async () => {
  logTo(restoreLog);
  await mailbox.stop();
});

describe("late reminders", () => {
  it("a reminder due over 2 hours ago is late; one due an hour ago, opted out or already sent is not", async () => {
    freshClock();
    await connectionEnding(7 - 30 / 24); // its 7-day reminder was due 30 hours ago
    await connectionEnding(-2); // its "lapsed" mail was due 2 days ago
    await connectionEnding(14 - 1 / 24); // 14-day reminder due an hour ago: the next run is on time
    await connectionEnding(5, false); // reminders off
    await connectionEnding(40); // nothing due
    const late = await lateReminders();
    expect(late.count).toBe(2);
    expect(late.oldestDueAt?.getTime()).toBeCloseTo(now().getTime() - 2 * DAY, -4);
    expect((await runScheduledJob(45_000)).body.lateReminders).toMatchObject({
      overdueAtStart: 2,
      overdueAtEnd: 0,
    });
    expect(await lateReminders()).toEqual({ count: 0, oldestDueAt: null });
  });

  it("the job that finds a reminder over a day late answers 500 and raises 'work late'; readiness says it left work late", async () => {
    freshClock();
    const { email } = await connectionEnding(7 - 30 / 24);
    const res = await cron(authorized());
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      late: true,
      lateReminders: { overdueAtStart: 1, overdueAtEnd: 0 },
      emailsSent: 1,
      maintenance: { revokeQueue: { late: false } },
    });
    expect(mailbox.to(email)).toHaveLength(1);
    expect(await alerts()).toEqual([
      expect.objectContaining({
        summary: "1 reminder(s) were more than a day later than promised (0 still unsent)",
      }),
    ]);
    const readiness = await ready(authorized());
    expect(readiness.status).toBe(503);
    expect((await readiness.json()).checks.scheduledJob).toEqual({
      ok: false,
      detail: expect.stringMatching(/: it left work late$/),
    });
  });

  it("a run that stops at its budget with nothing overdue is 200 and ready; the next run sends it on time", async () => {
    freshClock();
    const { email } = await connectionEnding(7 - 1 / 24);
    const stopped = await runScheduledJob(-1);
    expect({ late: stopped.late, finished: stopped.body.finished, sent: stopped.body.emailsSent }).toEqual({
      late: false,
      finished: false,
      sent: 0,
    });
    expect((await ready(authorized())).status).toBe(200);
    moveClock(15 * 60_000);
    const next = await cron(authorized());
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ late: false, emailsSent: 1 });
    expect(mailbox.to(email)).toHaveLength(1);
    expect(await alerts()).toEqual([]);
  });

  it("runs that keep stopping at their budget let a reminder slip past 2 hours: that run answers 500", async () => {
    freshClock();
    const { email } = await connectionEnding(7 - 1 / 24);
    expect((await runScheduledJob(-1)).late).toBe(false);
    moveClock(HOUR / 2);
    // An hour and a half after its moment: within the promise (eight 15-minute runs).
    expect((await runScheduledJob(-1)).late).toBe(false);
    moveClock(HOUR);
    const stoppedAgain = await runScheduledJob(-1);
    expect(stoppedAgain.late).toBe(true);
    expect(stoppedAgain.body.lateReminders).toMatchObject({ overdueAtStart: 1, overdueAtEnd: 1 });
    expect(mailbox.to(email)).toHaveLength(0);
    expect((await ready(authorized())).status).toBe(503);
  });
});

describe("mail in readiness", () => {
  const mailCheck = async () => (await (await ready(authorized())).json()).checks.mail;

  it("is judged by how the last send went, never by sending: a failed last send makes readiness say so", async () => {
    await sendSignInEmail({
      to: "first@example.test",
      url: "http://localhost:3000/api/auth/callback/email?token=t",
    });
    expect(await mailCheck()).toEqual({ ok: true, detail: expect.stringMatching(/^last sent 20\d\d-/) });
    const received = mailbox.messages.length;
    await ready(authorized());
    expect(mailbox.messages).toHaveLength(received);

    await mailbox.stop();
    freshClock();
    await connectionEnding(3);
    expect(await runReminders()).toMatchObject({ emailsFailed: 1, emailsSent: 0 });
    const res = await ready(authorized());
    expect(res.status).toBe(503);
    expect((await res.json()).checks.mail).toEqual({
      ok: false,
      detail: expect.stringMatching(/^the last send failed at \S+ \(E[A-Z]+\); last sent 20\d\d-/),
    });

    await mailbox.start();
    expect(await runReminders()).toMatchObject({ emailsFailed: 0, emailsSent: 1 });
    expect(await mailCheck()).toEqual({
      ok: true,
      detail: expect.stringMatching(/^last sent \S+; a send failed before it, at /),
    });
  });
});
