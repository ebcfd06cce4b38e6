// In the store folder because it seeds every table the retention job prunes, old and new rows alike.
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETENTION } from "@/lib/maintenance/retention-periods";
import { createTestDatabase, type TestDatabase } from "@/test/db";

let database: TestDatabase;
let prisma: PrismaClient;
let pruneExpired: typeof import("@/lib/maintenance/run").pruneExpired;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  process.env.DATABASE_URL = database.url;
  (globalThis as unknown as { prisma?: PrismaClient }).prisma = prisma;
  ({ pruneExpired } = await import("@/lib/maintenance/run"));
});
afterAll(() => database.drop());

const DAY = 86_400_000;
const at = new Date("2032-06-01T12:00:00Z");
const ago = (days: number) => new Date(at.getTime() - days * DAY);

/** One row of each kind just inside its retention and one just past it. */
async function seed() {
  const user = await prisma.user.create({ data: { email: "keep@example.test", name: "K" } });
  const connection = await prisma.connection.create({
    data: {
      userId: user.id,
      providerId: "uk-cs-mock",
      providerName: "Mock UK Bank",
      consentCreatedAt: ago(10),
      consentExpiresAt: ago(-80),
    },
  });
  await prisma.consentWording.create({ data: { version: 1, template: "{}" } });
  const ids: Record<string, { kept: string; pruned: string }> = {};
  const pair = async (
    kind: keyof typeof RETENTION,
    make: (createdAt: Date, n: string) => Promise<string>,
  ) => {
    const days = RETENTION[kind].days;
    ids[kind] = { kept: await make(ago(days - 1), "kept"), pruned: await make(ago(days + 1), "pruned") };
  };
  await pair("consentRecords", async (createdAt) => {
    const r = await prisma.reconfirmation.create({
      data: {
        copyHash: "h",
        wordingVersion: 1,
        createdAt,
        items: { create: { connectionId: connection.id, scopes: [] } },
        events: { create: { connectionId: connection.id, type: "EXTENDED", createdAt: new Date(createdAt) } },
      },
    });
    return r.id;
  });
  await pair("connectionEvents", async (createdAt) => {
    const e = await prisma.connectionEvent.create({
      data: { connectionId: connection.id, type: "CONNECTED", createdAt },
    });
    return e.id;
  });
  await pair("rateLimits", async (windowStart, n) => {
    await prisma.rateLimit.create({ data: { key: n, windowStart } });
    return n;
  });
  await pair("authStates", async (expiresAt, n) => {
    const s = await prisma.authState.create({
      data: {
        stateHash: n,
        userId: user.id,
        purpose: "CONNECT",
        redirectUri: "x",
        expiresAt,
        createdAt: ago(400),
      },
    });
    return s.id;
  });
  await pair("codeExchanges", async (createdAt, n) => {
    const x = await prisma.codeExchange.create({ data: { codeHash: n, outcome: "{}", createdAt } });
    return x.id;
  });
  return ids;
}

describe("retention pruning", () => {
  it("deletes each kind of row once it is past its retention, and keeps the rest", async () => {
    const ids = await seed();
    const counts = await pruneExpired({ at });
    // Events: the old CONNECTED one, and the kept record's EXTENDED one (events are kept 2 years, records 6).
    expect(counts).toEqual({
      callbackPosts: 0,
      consentRecords: 1,
      connectionEvents: 2,
      rateLimits: 1,
      authStates: 1,
      codeExchanges: 1,
      reminderLinks: 0,
      stoppedFigures: 0,
      securityEvents: 0,
    });

    const left = {
      consentRecords: (await prisma.reconfirmation.findMany()).map((r) => r.id),
      connectionEvents: (await prisma.connectionEvent.findMany({ where: { type: "CONNECTED" } })).map(
        (r) => r.id,
      ),
      rateLimits: (await prisma.rateLimit.findMany()).map((r) => r.key),
      authStates: (await prisma.authState.findMany()).map((r) => r.id),
      codeExchanges: (await prisma.codeExchange.findMany()).map((r) => r.id),
    };
    for (const [kind, pair] of Object.entries(ids))
      expect(left[kind as keyof typeof left], kind).toEqual([pair.kept]);
    expect(await prisma.reconfirmationItem.count()).toBe(1);
    expect(await prisma.consentWording.count()).toBe(1);
    expect(await pruneExpired({ at })).toEqual({
      callbackPosts: 0,
      consentRecords: 0,
      connectionEvents: 0,
      rateLimits: 0,
      authStates: 0,
      codeExchanges: 0,
      reminderLinks: 0,
      stoppedFigures: 0,
      securityEvents: 0,
    });
  });
});

describe("balances of stopped connections (issue 29 item 1)", () => {
  it("are erased by the job, and a live connection's figures are kept", async () => {
    const user = await prisma.user.create({ data: { email: "figures@example.test", name: "F" } });
    const make = (status: "ACTIVE" | "REVOKED") =>
      prisma.connection.create({
        data: {
          userId: user.id,
          providerId: `uk-ob-${status}`,
          providerName: status,
          status,
          consentCreatedAt: ago(10),
          consentExpiresAt: ago(-80),
          accounts: {
            create: {
              truelayerAccountId: `acc-${status}`,
              displayName: "Current",
              accountType: "TRANSACTION",
              currency: "GBP",
              balanceCurrent: "12.34",
              balanceAvailable: "10.00",
              balanceCurrency: "GBP",
              balanceReadAt: ago(1),
            },
          },
        },
      });
    const live = await make("ACTIVE");
    const stopped = await make("REVOKED");
    expect((await pruneExpired({ at })).stoppedFigures).toBe(1);
    const figures = async (connectionId: string) =>
      (await prisma.bankAccount.findFirstOrThrow({ where: { connectionId } })).balanceReadAt;
    expect(await figures(stopped.id)).toBeNull();
    expect(await figures(live.id)).toEqual(ago(1));
  });
});
