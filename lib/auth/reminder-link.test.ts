import { describe, expect, it } from "vitest";
import { addDays } from "@/lib/clock";
import { appDb as db, withAppDatabase } from "@/test/db";
import {
  createReminderLink,
  endReminderSessionsOf,
  openReminderLink,
  pruneReminderLinks,
  REMINDER_SESSION_MS,
  reminderSessionFor,
} from "./reminder-link";

withAppDatabase();

const at = new Date("2026-12-01T12:00:00Z");
let n = 0;
async function user() {
  n += 1;
  return db.prisma.user.create({ data: { email: `link-${n}@example.test`, name: "Lin Kay" } });
}
const items = (ends: number[]) =>
  ends.map((days, i) => ({ connectionId: `c_${n}_${i}`, consentExpiresAt: addDays(at, days) }));

describe("reminder links", () => {
  it("store only a keyed hash, and expire when the latest cycle named ends plus 14 days", async () => {
    const { id } = await user();
    const token = await createReminderLink(id, items([3, 9]), at);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await db.prisma.reminderLink.findMany({ where: { userId: id } });
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row?.expiresAt).toEqual(addDays(at, 23));
    expect(row?.connectionIds).toEqual([`c_${n}_0`, `c_${n}_1`]);
    expect(await openReminderLink(token ?? "", addDays(at, 23))).toBeNull();
    expect(await openReminderLink(token ?? "", addDays(at, 22.9))).not.toBeNull();
  });

  it("are not made for a cycle whose 14 days have passed", async () => {
    const { id } = await user();
    expect(await createReminderLink(id, items([-15]), at)).toBeNull();
    expect(await db.prisma.reminderLink.count({ where: { userId: id } })).toBe(0);
  });

  it("work once, even when pressed twice at the same moment", async () => {
    const { id } = await user();
    const token = (await createReminderLink(id, items([5]), at)) ?? "";
    const both = await Promise.all([openReminderLink(token, at), openReminderLink(token, at)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await openReminderLink(token, at)).toBeNull();
    expect(await openReminderLink(`${token.slice(0, -1)}A`, at)).toBeNull();
    expect(await openReminderLink("not a token", at)).toBeNull();
  });

  it("count 'opened the email link' once per link spent, however often it is pressed (issue 29 item 7)", async () => {
    const { id } = await user();
    const token = (await createReminderLink(id, items([5]), at)) ?? "";
    const opened = () => db.prisma.funnelEvent.count({ where: { userId: id, step: "LINK_OPENED" } });
    expect(await opened()).toBe(0);
    await Promise.all([openReminderLink(token, at), openReminderLink(token, at)]);
    await openReminderLink(token, at);
    expect(await opened()).toBe(1);
    const unspent = await createReminderLink(id, items([5]), at);
    expect(unspent).not.toBeNull();
    expect(await opened()).toBe(1);
  });

  it("start a session for that user and those banks only, for 30 minutes", async () => {
    const u = await user();
    const token = (await createReminderLink(u.id, items([5, 6]), at)) ?? "";
    const session = (await openReminderLink(token, at)) ?? "";
    const found = await reminderSessionFor(session, at);
    expect(found?.user).toEqual({ id: u.id, email: u.email, name: "Lin Kay" });
    expect([...(found?.connectionIds ?? [])]).toEqual([`c_${n}_0`, `c_${n}_1`]);
    expect(
      await reminderSessionFor(session, new Date(at.getTime() + REMINDER_SESSION_MS - 1)),
    ).not.toBeNull();
    expect(await reminderSessionFor(session, new Date(at.getTime() + REMINDER_SESSION_MS))).toBeNull();
    expect(await reminderSessionFor(token, at)).toBeNull();
    expect(await openReminderLink(session, at)).toBeNull();
    expect(await reminderSessionFor(undefined, at)).toBeNull();
  });

  it("end with sign-out everywhere and when the account's deletion begins", async () => {
    const a = await user();
    const first = (await openReminderLink((await createReminderLink(a.id, items([5]), at)) ?? "", at)) ?? "";
    await endReminderSessionsOf(a.id);
    expect(await reminderSessionFor(first, at)).toBeNull();
    const second = (await openReminderLink((await createReminderLink(a.id, items([5]), at)) ?? "", at)) ?? "";
    expect(await reminderSessionFor(second, at)).not.toBeNull();
    await db.prisma.user.update({ where: { id: a.id }, data: { deletionRequestedAt: at } });
    expect(await reminderSessionFor(second, at)).toBeNull();
  });

  it("are pruned once both the link and its session have expired", async () => {
    const { id } = await user();
    const token = (await createReminderLink(id, items([1]), at)) ?? "";
    await openReminderLink(token, addDays(at, 14.99));
    const later = addDays(at, 15);
    expect(await db.prisma.reminderLink.count({ where: { userId: id } })).toBe(1);
    await pruneReminderLinks(addDays(at, 15.001));
    expect(await db.prisma.reminderLink.count({ where: { userId: id } })).toBe(1);
    await pruneReminderLinks(new Date(later.getTime() + REMINDER_SESSION_MS));
    expect(await db.prisma.reminderLink.count({ where: { userId: id } })).toBe(0);
  });
});
