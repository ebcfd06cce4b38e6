import type { FunnelStep, PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedBareConnection } from "@/kit";
import { addDays } from "@/lib/clock";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { getFunnelReport, isOperator, makeOperator } from "./queries";
import { recordFunnelEvent, recordReminderLinkOpened } from "./record";

let database: TestDatabase;
let prisma: PrismaClient;
const at = new Date("2027-03-01T12:00:00Z");

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  process.env.DATABASE_URL = database.url;
  (globalThis as unknown as { prisma?: PrismaClient }).prisma = prisma;
});
afterAll(async () => database.drop());

async function person(email: string) {
  return prisma.user.create({ data: { email } });
}
async function bankConnection(
  userId: string,
  bank: "monzo" | "lloyds",
  consentExpiresAt: Date,
  revoked = false,
) {
  const id = await seedBareConnection(userId, {
    providerId: `uk-ob-${bank}`,
    providerName: bank === "monzo" ? "Monzo" : "Lloyds",
    scopes: [],
    consentCreatedAt: addDays(consentExpiresAt, -90),
    consentExpiresAt,
    status: revoked ? "REVOKED" : "ACTIVE",
  });
  return { id, providerId: `uk-ob-${bank}` };
}
async function event(
  step: FunnelStep,
  userId: string,
  connection?: { id: string; providerId: string },
  daysAgo = 1,
) {
  await prisma.funnelEvent.create({
    data: {
      step,
      userId,
      connectionId: connection?.id,
      providerId: connection?.providerId,
      createdAt: addDays(at, -daysAgo),
    },
  });
}

describe("funnel report", () => {
  it("counts people per step, connections per step and bank, and lapsed connections, in the last 30 days", async () => {
    const ann = await person("ann@example.test");
    const ben = await person("ben@example.test");
    const cat = await person("cat@example.test");
    const annMonzo = await bankConnection(ann.id, "monzo", addDays(at, 60));
    const annLloyds = await bankConnection(ann.id, "lloyds", addDays(at, 60));
    const benMonzo = await bankConnection(ben.id, "monzo", addDays(at, -3));
    await bankConnection(cat.id, "lloyds", addDays(at, -10));
    await bankConnection(cat.id, "lloyds", addDays(at, -40));
    await bankConnection(cat.id, "monzo", addDays(at, -5), true);

    for (const c of [annMonzo, annLloyds]) await event("REMINDED", ann.id, c);
    await event("REMINDED", ben.id, benMonzo);
    await event("REMINDED", ben.id, benMonzo, 45);
    await event("LINK_OPENED", ann.id);
    await event("LINK_OPENED", ann.id);
    await event("SCREEN_SEEN", ann.id);
    await event("SCREEN_SEEN", ben.id);
    for (const c of [annMonzo, annLloyds]) await event("CONFIRMED", ann.id, c);
    await event("SENT_TO_BANK", ann.id, annLloyds);
    await event("COMPLETED", ann.id, annMonzo);
    await event("DECLINED", ben.id, benMonzo);

    const report = await getFunnelReport(at);
    const byStep = Object.fromEntries(report.steps.map((s) => [s.step, [s.users, s.events]]));
    expect(byStep).toEqual({
      REMINDED: [2, 3],
      LINK_OPENED: [1, 2],
      SCREEN_SEEN: [2, 2],
      CONFIRMED: [1, 2],
      SENT_TO_BANK: [1, 1],
      COMPLETED: [1, 1],
      DECLINED: [1, 1],
      FAILED: [0, 0],
    });
    expect(report.steps.map((s) => s.step)[0]).toBe("REMINDED");
    expect(report.lapsed).toBe(2);

    const monzo = report.banks.find((b) => b.providerId === "uk-ob-monzo");
    const lloyds = report.banks.find((b) => b.providerId === "uk-ob-lloyds");
    expect(monzo).toMatchObject({ providerName: "Monzo", lapsed: 1 });
    expect(monzo?.connections).toMatchObject({
      REMINDED: 2,
      CONFIRMED: 1,
      COMPLETED: 1,
      DECLINED: 1,
      SENT_TO_BANK: 0,
    });
    expect(lloyds).toMatchObject({ providerName: "Lloyds", lapsed: 1 });
    expect(lloyds?.connections).toMatchObject({ REMINDED: 1, CONFIRMED: 1, SENT_TO_BANK: 1, COMPLETED: 0 });
  });

  it("records events and never throws into the caller when recording fails", async () => {
    const dee = await person("dee@example.test");
    await recordReminderLinkOpened(dee.id);
    await recordFunnelEvent({ step: "SCREEN_SEEN", userId: dee.id });
    expect(await prisma.funnelEvent.count({ where: { userId: dee.id } })).toBe(2);

    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await expect(recordFunnelEvent({ step: "CONFIRMED", userId: "no-such-user" })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("could not record CONFIRMED"));
    warn.mockRestore();
  });

  it("makes operators by email, ignoring case", async () => {
    const eve = await person("Eve@Example.test");
    expect(await isOperator(eve.id)).toBe(false);
    expect(await makeOperator("eve@example.TEST")).toBe(true);
    expect(await isOperator(eve.id)).toBe(true);
    expect(await makeOperator("nobody@example.test")).toBe(false);
  });
});
