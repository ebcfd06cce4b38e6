import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

describe("append-only history", () => {
  it("refuses to edit a connection event or a reconfirmation in place", async () => {
    const user = await db.prisma.user.create({ data: { email: "a@example.test", name: "Ada Lovelace" } });
    const connection = await db.prisma.connection.create({
      data: {
        userId: user.id,
        providerId: "uk-cs-mock",
        providerName: "Mock UK Bank",
        consentCreatedAt: new Date("2026-01-01"),
        consentExpiresAt: new Date("2026-04-01"),
      },
    });
    const event = await db.prisma.connectionEvent.create({
      data: { connectionId: connection.id, type: "CONNECTED" },
    });
    const reconfirmation = await db.prisma.reconfirmation.create({
      data: { userId: user.id, copyHash: "abc" },
    });

    await expect(
      db.prisma.connectionEvent.update({ where: { id: event.id }, data: { type: "FAILED" } }),
    ).rejects.toThrow();
    await expect(
      db.prisma.reconfirmation.update({ where: { id: reconfirmation.id }, data: { copyHash: "x" } }),
    ).rejects.toThrow();
    expect((await db.prisma.connectionEvent.findUniqueOrThrow({ where: { id: event.id } })).type).toBe(
      "CONNECTED",
    );
    expect(
      (await db.prisma.reconfirmation.findUniqueOrThrow({ where: { id: reconfirmation.id } })).copyHash,
    ).toBe("abc");
  });
});
