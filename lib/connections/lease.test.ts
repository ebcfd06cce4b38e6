import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { setClockOffset } from "../clock";
import { claimConnection, completeLease, LEASE_MS, LostLeaseError, releaseLease } from "./lease";

let db: TestDatabase;
let userId: string;
beforeAll(async () => {
  db = await createTestDatabase();
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
    const claims = await Promise.all(
      Array.from({ length: 50 }, () => claimConnection(db.prisma, id, userId, "extend")),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("refuses a claim on another user's connection", async () => {
    const { id } = await connection();
    expect(await claimConnection(db.prisma, id, "someone-else", "extend")).toBeNull();
  });

  it("recovers a lease left by a crashed request once it expires", async () => {
    const { id } = await connection();
    expect(await claimConnection(db.prisma, id, userId, "extend")).not.toBeNull();
    expect(await claimConnection(db.prisma, id, userId, "extend")).toBeNull();
    setClockOffset(LEASE_MS + 1000);
    expect(await claimConnection(db.prisma, id, userId, "extend")).not.toBeNull();
    setClockOffset(0);
  });

  it("stores a result only while the lease is still ours, never over a newer write", async () => {
    const { id } = await connection();
    const lease = await claimConnection(db.prisma, id, userId, "extend");
    if (!lease) throw new Error("no lease");
    await db.prisma.connection.update({ where: { id }, data: { version: { increment: 1 } } });
    await expect(completeLease(db.prisma, lease, { statusReason: "stale" })).rejects.toBeInstanceOf(
      LostLeaseError,
    );
    expect((await db.prisma.connection.findUniqueOrThrow({ where: { id } })).statusReason).toBeNull();

    await releaseLease(db.prisma, lease);
    const fresh = await claimConnection(db.prisma, id, userId, "extend");
    if (!fresh) throw new Error("no lease");
    await completeLease(db.prisma, fresh, { statusReason: "stored" });
    const row = await db.prisma.connection.findUniqueOrThrow({ where: { id } });
    expect(row.statusReason).toBe("stored");
    expect(row.leaseId).toBeNull();
  });
});
