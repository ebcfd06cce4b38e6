import { beforeEach, describe, expect, it } from "vitest";
import { pruneExpired } from "@/lib/maintenance/run";
import { appDb as db, withAppDatabase } from "@/test/db";
import { ANONYMOUS_EVENTS_PER_HOUR, recordSecurityEvent, securityEventsOf } from "./events";

withAppDatabase();
beforeEach(async () => {
  await db.prisma.rateLimit.deleteMany();
});

const DAY = 24 * 60 * 60 * 1000;

describe("the security event log (issue 27 item 8)", () => {
  it("is append-only: an UPDATE is refused by the database", async () => {
    const user = await db.prisma.user.create({ data: { email: "log@example.test" } });
    await recordSecurityEvent({ kind: "SIGN_IN", userId: user.id, reason: "link_asked_here" });
    for (const statement of [
      `UPDATE "SecurityEvent" SET "reason" = 'x'`,
      `UPDATE "SecurityEvent" SET "userId" = NULL`,
    ]) {
      await expect(db.prisma.$executeRawUnsafe(statement), statement).rejects.toThrow(/append-only/);
    }
    expect((await securityEventsOf(user.id)).map((e) => [e.kind, e.reason])).toEqual([
      ["SIGN_IN", "link_asked_here"],
    ]);
  });

  it("stores no secret: reasons outside our own codes become 'other', and addresses only as keyed hashes", async () => {
    const token = "ab12".repeat(16);
    const email = "secret.person@example.test";
    for (const reason of [token, `Bearer ${token}`, "error: upstream said <html>", "a".repeat(65), "x\ny"]) {
      await recordSecurityEvent({ kind: "SIGN_IN_FAILED", reason, subject: email });
    }
    const rows = await db.prisma.securityEvent.findMany({ where: { kind: "SIGN_IN_FAILED" } });
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(email);
    expect(stored).not.toContain("secret.person");
    expect(new Set(rows.map((r) => r.reason))).toEqual(new Set(["other"]));
    expect(new Set(rows.map((r) => r.subjectHash)).size).toBe(1);
  });

  it("caps what requests nobody signed in for can add, and never caps an account's own events", async () => {
    const before = await db.prisma.securityEvent.count();
    let kept = 0;
    for (let i = 0; i < ANONYMOUS_EVENTS_PER_HOUR + 25; i++) {
      if (await recordSecurityEvent({ kind: "SIGN_IN_REFUSED", reason: "cross_site", unauthenticated: true }))
        kept++;
    }
    expect(kept).toBe(ANONYMOUS_EVENTS_PER_HOUR);
    expect((await db.prisma.securityEvent.count()) - before).toBe(ANONYMOUS_EVENTS_PER_HOUR);
    const user = await db.prisma.user.create({ data: { email: "busy-log@example.test" } });
    expect(await recordSecurityEvent({ kind: "SIGN_OUT_EVERYWHERE", userId: user.id })).toBe(true);
  });

  it("goes with its account when the account is deleted", async () => {
    const user = await db.prisma.user.create({ data: { email: "gone@example.test" } });
    await recordSecurityEvent({ kind: "SIGN_IN", userId: user.id });
    await recordSecurityEvent({ kind: "DATA_DOWNLOADED", userId: user.id });
    await db.prisma.user.delete({ where: { id: user.id } });
    expect(await db.prisma.securityEvent.count({ where: { userId: user.id } })).toBe(0);
  });

  it("is kept a year for an account and 90 days when it names none", async () => {
    await db.prisma.securityEvent.deleteMany();
    const user = await db.prisma.user.create({ data: { email: "old-log@example.test" } });
    const at = new Date();
    const rows = [
      { userId: user.id, age: 364 },
      { userId: user.id, age: 366 },
      { userId: null, age: 89 },
      { userId: null, age: 91 },
    ];
    for (const row of rows) {
      await db.prisma.securityEvent.create({
        data: { kind: "SIGN_IN", userId: row.userId, createdAt: new Date(at.getTime() - row.age * DAY) },
      });
    }
    expect((await pruneExpired({ at })).securityEvents).toBe(2);
    const left = await db.prisma.securityEvent.findMany({ orderBy: { createdAt: "asc" } });
    expect(left.map((r) => Math.round((at.getTime() - r.createdAt.getTime()) / DAY))).toEqual([364, 89]);
  });
});
