import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setClockOffset } from "@/lib/clock";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { commit, hold, LostLeaseError, release } from "./hold";
import { LEASE_MS } from "./statements";

const claim = async (id: string, user: string, purpose: string) => {
  const got = await hold(id, user, purpose);
  return "held" in got ? got.held : null;
};

let db: TestDatabase;
let userId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  (globalThis as unknown as { prisma?: unknown }).prisma = db.prisma;
  userId = (await db.prisma.user.create({ data: { email: "lease@example.test", name: "Lee Ase" } })).id;
});
afterAll(async () => {
  setClockOffset(0);
  await db.drop();
});

async function connection() {
  return db.prisma.connection.create({
    data: {
      userId,
      providerId: "uk-cs-mock",
      providerName: "Mock UK Bank",
      consentCreatedAt: new Date(),
      consentExpiresAt: new Date(),
    },
  });
}

describe("claim-and-lease", () => {
  it("lets exactly one of many simultaneous requests claim a connection", async () => {
    const { id } = await connection();
    const claims = await Promise.all(Array.from({ length: 50 }, () => claim(id, userId, "extend")));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("refuses a claim on another user's connection", async () => {
    const { id } = await connection();
    expect(await claim(id, "someone-else", "extend")).toBeNull();
  });

  it("recovers a lease left by a crashed request once it expires", async () => {
    const { id } = await connection();
    expect(await claim(id, userId, "extend")).not.toBeNull();
    expect(await claim(id, userId, "extend")).toBeNull();
    setClockOffset(LEASE_MS + 1000);
    expect(await claim(id, userId, "extend")).not.toBeNull();
    setClockOffset(0);
  });

  it("stores a result only while the lease is still ours, never over a newer write", async () => {
    const { id } = await connection();
    const lease = await claim(id, userId, "extend");
    if (!lease) throw new Error("no lease");
    await db.prisma.connection.update({ where: { id }, data: { version: { increment: 1 } } });
    await expect(commit(lease, { kind: "failed", reason: "stale", needsBank: true })).rejects.toBeInstanceOf(
      LostLeaseError,
    );
    expect((await db.prisma.connection.findUniqueOrThrow({ where: { id } })).statusReason).toBeNull();

    await release(lease);
    const fresh = await claim(id, userId, "extend");
    if (!fresh) throw new Error("no lease");
    await commit(fresh, { kind: "failed", reason: "stored", needsBank: true });
    const row = await db.prisma.connection.findUniqueOrThrow({ where: { id } });
    expect(row.statusReason).toBe("stored");
    expect(row.leaseId).toBeNull();
    const events = await db.prisma.connectionEvent.findMany({ where: { connectionId: id } });
    expect(events.map((e) => [e.type, e.reason])).toEqual([["FAILED", "stored"]]);
    expect(row.lastResult).toBe("FAILED");
    expect(row.factsEventAt?.getTime()).toBe(events[0]?.createdAt.getTime());
  });
});
