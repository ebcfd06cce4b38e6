import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

let n = 0;
async function reconfirmedUser() {
  n += 1;
  const user = await db.prisma.user.create({ data: { email: `a${n}@example.test`, name: "Ada Lovelace" } });
  const connection = await db.prisma.connection.create({
    data: {
      userId: user.id,
      providerId: "uk-cs-mock",
      providerName: "Mock UK Bank",
      consentCreatedAt: new Date("2026-01-01"),
      consentExpiresAt: new Date("2026-04-01"),
    },
  });
  await db.prisma.consentWording.upsert({
    where: { version: 1 },
    create: { version: 1, template: "{}" },
    update: {},
  });
  const reconfirmation = await db.prisma.reconfirmation.create({
    data: {
      copyHash: "abc",
      subject: "f".repeat(64),
      wordingVersion: 1,
      items: { create: { connectionId: connection.id, providerName: "Mock UK Bank", scopes: ["accounts"] } },
      owner: { create: { userId: user.id, accounts: { [connection.id]: [{ displayName: "Current" }] } } },
    },
  });
  const event = await db.prisma.connectionEvent.create({
    data: { connectionId: connection.id, reconfirmationId: reconfirmation.id, type: "EXTENDED" },
  });
  return { user, connection, reconfirmation, event };
}

describe("append-only consent records", () => {
  it("raises on an UPDATE of a reconfirmation, its item, an event or a wording, and changes nothing", async () => {
    const { reconfirmation, event } = await reconfirmedUser();
    for (const statement of [
      `UPDATE "Reconfirmation" SET "copyHash" = 'x'`,
      `UPDATE "ReconfirmationItem" SET "scopes" = '{}'`,
      `UPDATE "ReconfirmationOwner" SET "accounts" = '{}'`,
      `UPDATE "ReconfirmationOutcome" SET "reason" = 'x'`,
      `UPDATE "ConnectionEvent" SET "type" = 'FAILED'`,
      `UPDATE "ConsentWording" SET "template" = 'x'`,
      `DELETE FROM "ConsentWording"`,
    ]) {
      await expect(db.prisma.$executeRawUnsafe(statement), statement).rejects.toThrow(/append-only/);
    }
    expect(
      (await db.prisma.reconfirmation.findUniqueOrThrow({ where: { id: reconfirmation.id } })).copyHash,
    ).toBe("abc");
    expect((await db.prisma.connectionEvent.findUniqueOrThrow({ where: { id: event.id } })).type).toBe(
      "EXTENDED",
    );
  });

  it("copies a reconfirmation's result event into the record, where it outlives the connection", async () => {
    const { connection, reconfirmation } = await reconfirmedUser();
    await db.prisma.connection.delete({ where: { id: connection.id } });
    const record = await db.prisma.reconfirmation.findUniqueOrThrow({
      where: { id: reconfirmation.id },
      include: { items: true, outcomes: true, owner: true },
    });
    expect(record.items.map((i) => [i.connectionId, i.providerName])).toEqual([
      [connection.id, "Mock UK Bank"],
    ]);
    expect(record.outcomes.map((o) => [o.connectionId, o.type])).toEqual([[connection.id, "EXTENDED"]]);
    expect(record.owner).not.toBeNull();
  });

  it("lets a user who has reconfirmed be deleted: the record stays, its personal part goes", async () => {
    const { user, reconfirmation } = await reconfirmedUser();
    await db.prisma.user.delete({ where: { id: user.id } });
    const record = await db.prisma.reconfirmation.findUniqueOrThrow({
      where: { id: reconfirmation.id },
      include: { items: true, outcomes: true, owner: true },
    });
    expect(record).toMatchObject({
      copyHash: "abc",
      subject: "f".repeat(64),
      wordingVersion: 1,
      owner: null,
    });
    expect(record.items[0]).toMatchObject({ providerName: "Mock UK Bank", scopes: ["accounts"] });
    expect(record.outcomes.map((o) => o.type)).toEqual(["EXTENDED"]);
  });
});
