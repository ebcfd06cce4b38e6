import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TestMailbox } from "@/inbox/test-mailbox";
import { seedBareConnection, seedManyForUser, setSeededConnection } from "@/kit";
import { addDays, now, setClockOffset } from "@/lib/clock";
import { formatDate } from "@/lib/format";
import { createTestDatabase, type TestDatabase } from "@/test/db";

const DAY_MS = 24 * 60 * 60 * 1000;
const mailbox = new TestMailbox();
let database: TestDatabase;
let prisma: PrismaClient;
let runReminders: typeof import("./send-reminders").runReminders;

beforeAll(async () => {
  await mailbox.start();
  database = await createTestDatabase();
  prisma = database.prisma;
  process.env.DATABASE_URL = database.url;
  process.env.SMTP_URL = mailbox.url;
  (globalThis as unknown as { prisma?: PrismaClient }).prisma = prisma;
  ({ runReminders } = await import("./send-reminders"));
});
afterEach(async () => {
  setClockOffset(0);
  mailbox.clear();
  await prisma.user.deleteMany();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await mailbox.stop();
  await database.drop();
});

async function user(options: { remindersEnabled?: boolean } = {}) {
  const email = `u-${randomBytes(4).toString("hex")}@example.test`;
  return prisma.user.create({ data: { email, name: "Sam Example", ...options } });
}

async function connection(
  userId: string,
  daysLeft: number,
  bank = "Mock Bank",
  status: "ACTIVE" | "REVOKED" = "ACTIVE",
) {
  const consentExpiresAt = addDays(now(), daysLeft);
  const id = await seedBareConnection(userId, {
    providerId: `uk-ob-${bank.toLowerCase().replace(/\W+/g, "-")}`,
    providerName: bank,
    consentCreatedAt: addDays(consentExpiresAt, -90),
    consentExpiresAt,
    status,
    scopes: [],
  });
  return { id, consentExpiresAt };
}

describe("reminder run", () => {
  it("sends one mail per user and threshold, never twice, and catches up after the clock moves", async () => {
    const alex = await user();
    const a1 = await connection(alex.id, 10, "Monzo");
    const a2 = await connection(alex.id, 11.5, "Barclays");
    const bo = await user();
    await connection(bo.id, 3, "Lloyds");
    const optedOut = await user({ remindersEnabled: false });
    await connection(optedOut.id, 2, "Monzo");
    const later = await user();
    await connection(later.id, 40, "HSBC");
    const lapsed = await user();
    await connection(lapsed.id, -2, "NatWest");
    const revoked = await user();
    await connection(revoked.id, 5, "Santander", "REVOKED");

    const first = await runReminders();
    expect(first).toMatchObject({ emailsSent: 3, emailsFailed: 0, remindersSent: 4, finished: true });
    expect(mailbox.messages).toHaveLength(3);

    const [toAlex] = mailbox.to(alex.email ?? "");
    expect(mailbox.to(alex.email ?? "")).toHaveLength(1);
    expect(toAlex?.subject).toBe(
      `Keep your 2 bank connections: reconfirm by ${formatDate(a1.consentExpiresAt)}`,
    );
    expect(toAlex?.text).toContain(`- Sharing from Monzo: renew by ${formatDate(a1.consentExpiresAt)}`);
    expect(toAlex?.text).toContain(`- Sharing from Barclays: renew by ${formatDate(a2.consentExpiresAt)}`);
    const link = toAlex?.text.match(/http:\/\/127\.0\.0\.1:3999\/reminder\?token=([\w-]{43})/);
    expect(toAlex?.html).toContain(`href="${link?.[0]}"`);
    const stored = await prisma.reminderLink.findMany({ where: { userId: alex.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(link?.[1]);
    expect([...(stored[0]?.connectionIds ?? [])].sort()).toEqual([a1.id, a2.id].sort());
    expect(stored[0]?.expiresAt).toEqual(addDays(a2.consentExpiresAt, 14));
    const unsubscribe = toAlex ? mailbox.header(toAlex, "List-Unsubscribe") : undefined;
    expect(unsubscribe).toMatch(/^<http:\/\/127\.0\.0\.1:3999\/unsubscribe\?token=[\w.-]+>$/);
    expect(toAlex?.text).toContain(unsubscribe?.slice(1, -1));
    expect(toAlex ? mailbox.header(toAlex, "List-Unsubscribe-Post") : "").toBe("List-Unsubscribe=One-Click");

    expect(mailbox.to(bo.email ?? "")[0]?.subject).toMatch(/^Keep your Lloyds connection: reconfirm by /);
    expect(mailbox.to(lapsed.email ?? "")[0]?.subject).toBe(
      "Sharing from NatWest is paused: reconfirm to restore it",
    );
    expect(mailbox.to(lapsed.email ?? "")[0]?.text).toContain("Sharing from NatWest: paused since");
    for (const quiet of [optedOut, later, revoked]) expect(mailbox.to(quiet.email ?? "")).toEqual([]);

    const rows = await prisma.reminder.findMany({ orderBy: { threshold: "asc" } });
    expect(rows.map((r) => [r.threshold, r.status])).toEqual([
      [0, "SENT"],
      [7, "SENT"],
      [14, "SENT"],
      [14, "SENT"],
    ]);
    expect(await prisma.funnelEvent.count({ where: { step: "REMINDED" } })).toBe(4);

    mailbox.clear();
    expect(await runReminders()).toMatchObject({ scanned: 0, emailsSent: 0, remindersSent: 0 });
    expect(mailbox.messages).toEqual([]);

    // Five days on: Alex's two banks reach the 7-day mark together, Bo's access has lapsed.
    setClockOffset(5 * DAY_MS);
    expect(await runReminders()).toMatchObject({ emailsSent: 2, remindersSent: 3 });
    expect(mailbox.to(alex.email ?? "").map((m) => m.subject)).toEqual([
      `Keep your 2 bank connections: reconfirm by ${formatDate(a1.consentExpiresAt)}`,
    ]);
    expect(mailbox.to(bo.email ?? "")[0]?.subject).toBe(
      "Sharing from Lloyds is paused: reconfirm to restore it",
    );
    expect(mailbox.to(optedOut.email ?? "")).toEqual([]);

    mailbox.clear();
    expect(await runReminders()).toMatchObject({ emailsSent: 0 });
  });

  it("starts a new cycle of reminders once a connection is renewed", async () => {
    const sam = await user();
    const c = await connection(sam.id, 1);
    await runReminders();
    await setSeededConnection(c.id, { consentExpiresAt: addDays(now(), 13) });
    mailbox.clear();
    expect(await runReminders()).toMatchObject({ emailsSent: 1 });
    expect(mailbox.to(sam.email ?? "")[0]?.text).toContain(
      `Sharing from Mock Bank: renew by ${formatDate(addDays(now(), 13))}`,
    );
  });

  it("mails a plain sign-in link once a lapsed cycle is past its link's 14 days", async () => {
    const late = await user();
    await connection(late.id, -20, "NatWest");
    await runReminders();
    expect(mailbox.to(late.email ?? "")[0]?.text).toContain("http://127.0.0.1:3999/reconfirm?src=reminder");
    expect(await prisma.reminderLink.count({ where: { userId: late.id } })).toBe(0);
  });

  it("retries a failed send on the next run while SMTP is down, and sends it once when it is back", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const sam = await user();
    await connection(sam.id, 6);
    await mailbox.stop();
    try {
      expect(await runReminders()).toMatchObject({ emailsSent: 0, emailsFailed: 1 });
      expect(await runReminders()).toMatchObject({ emailsFailed: 1 });
      const failed = await prisma.reminder.findFirstOrThrow();
      expect(failed).toMatchObject({ status: "FAILED", attempts: 2, threshold: 7 });
      expect(failed.error).toMatch(/^ECONNECTION|^ESOCKET/);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("retried on the next run"));
    } finally {
      await mailbox.start();
    }
    expect(await runReminders()).toMatchObject({ emailsSent: 1, emailsFailed: 0 });
    expect(await runReminders()).toMatchObject({ emailsSent: 0 });
    expect(mailbox.to(sam.email ?? "")).toHaveLength(1);
    expect(await prisma.reminder.findFirstOrThrow()).toMatchObject({
      status: "SENT",
      attempts: 3,
      error: null,
    });
  });

  it("never resends a reminder left claimed by a run that stopped mid-send, and says so", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const sam = await user();
    const c = await connection(sam.id, 6);
    await prisma.reminder.create({
      data: {
        connectionId: c.id,
        userId: sam.id,
        consentExpiresAt: c.consentExpiresAt,
        threshold: 7,
        claimedAt: new Date(now().getTime() - 60 * 60 * 1000),
      },
    });
    expect(await runReminders()).toMatchObject({ emailsSent: 0, stuck: 1 });
    expect(mailbox.messages).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("at most once"));
  });

  it("works through more connections than one batch, one mail per user even across batches", async () => {
    const people = await Promise.all(Array.from({ length: 9 }, () => user()));
    for (const [i, p] of people.entries()) await connection(p.id, 2 + i * 0.1, `Bank ${i}`);
    // Her two banks sort into the first and the last batch; the last no longer lists Late Bank, mailed with the first.
    const spread = await user();
    await connection(spread.id, 1.5, "Early Bank");
    await connection(spread.id, 6.9, "Late Bank");

    const summary = await runReminders({ batchSize: 3 });
    expect(summary).toMatchObject({ scanned: 10, emailsSent: 10, remindersSent: 11, finished: true });
    for (const p of people) expect(mailbox.to(p.email ?? "")).toHaveLength(1);
    const [mail] = mailbox.to(spread.email ?? "");
    expect(mailbox.to(spread.email ?? "")).toHaveLength(1);
    expect(mail?.text).toContain("Early Bank");
    expect(mail?.text).toContain("Late Bank");
  });

  it("sends each reminder once when two runs overlap", async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => user()));
    for (const p of people) await connection(p.id, 4);
    const [a, b] = await Promise.all([runReminders({ batchSize: 2 }), runReminders({ batchSize: 2 })]);
    expect((a?.emailsSent ?? 0) + (b?.emailsSent ?? 0)).toBe(6);
    for (const p of people) expect(mailbox.to(p.email ?? "")).toHaveLength(1);
  });

  it("four copies started at once send each reminder exactly once, one mail per user and threshold", async () => {
    const people = await Promise.all(Array.from({ length: 30 }, () => user()));
    for (const [i, p] of people.entries()) {
      await connection(p.id, 2 + (i % 5));
      if (i % 3 === 0) await connection(p.id, 2 + (i % 5) + 0.5, "Second Bank");
    }
    const due = await prisma.connection.count();
    const runs = await Promise.all(Array.from({ length: 4 }, () => runReminders({ batchSize: 4 })));
    expect(runs.reduce((n, r) => n + r.remindersSent, 0)).toBe(due);
    expect(runs.reduce((n, r) => n + r.emailsSent, 0)).toBe(people.length);
    expect(mailbox.messages).toHaveLength(people.length);
    for (const p of people) expect(mailbox.to(p.email ?? "")).toHaveLength(1);
    const rows = await prisma.reminder.groupBy({ by: ["status"], _count: true });
    expect(rows).toEqual([{ status: "SENT", _count: due }]);
  });

  it("finds the few hundred due among 100,000 connections (its cost is measured by the bench)", async () => {
    const owner = await user({ remindersEnabled: false });
    const base = now().getTime();
    // Straight SQL: 100,000 rows through Prisma would take most of the test's time.
    await seedManyForUser({
      userId: owner.id,
      count: 100_000,
      idPrefix: "bulk-",
      providerId: "uk-ob-bulk",
      providerName: "Bulk Bank",
      from: new Date(base),
      firstDay: 20,
      spanDays: 70,
    });
    const due = await Promise.all(Array.from({ length: 300 }, () => user()));
    await Promise.all(
      due.map((p, i) =>
        seedBareConnection(p.id, {
          providerId: "uk-ob-due",
          providerName: "Due Bank",
          scopes: [],
          consentCreatedAt: addDays(now(), -85),
          consentExpiresAt: new Date(base + (1 + (i % 12)) * DAY_MS),
        }),
      ),
    );
    const summary = await runReminders();
    expect(summary).toMatchObject({ scanned: 300, emailsSent: 300, finished: true });
  }, 120_000);
});
