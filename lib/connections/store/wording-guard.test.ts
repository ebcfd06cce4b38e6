import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { WORDING_VERSION } from "@/lib/consent/wording";
import { createTestConnection, newUser, reconfirmOne } from "@/test/flows";
import { integrationSuite } from "@/test/integration";

// Recording a consent inserts its wording without locking the wording row (decisions 023, 068).
const suite = integrationSuite();
async function client() {
  const c = new pg.Client({ connectionString: suite.it.db.url });
  await c.connect();
  await c.query(`SET search_path TO "${suite.it.db.schema}"`);
  return c;
}

describe("the consent wording row", () => {
  it("is not locked by a renewal, so another renewal never waits on it", async () => {
    const user = await newUser(suite.prisma);
    const first = await createTestConnection(suite.it, user.id, "eternal");
    const second = await createTestConnection(suite.it, user.id, "eternal");
    expect((await reconfirmOne(user.id, first.id)).kind).toBe("finished");
    const other = await client();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "ConsentWording" WHERE "version" = $1 FOR NO KEY UPDATE`, [
        WORDING_VERSION,
      ]);
      const renewed = reconfirmOne(user.id, second.id);
      const waited = await Promise.race([
        renewed.then(() => false),
        new Promise((resolve) => setTimeout(() => resolve(true), 5_000)),
      ]);
      expect(waited).toBe(false);
    } finally {
      await other.query("ROLLBACK");
      await other.end();
    }
  });

  it("refuses other words under a version already used, and records nothing", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    const records = await suite.prisma.reconfirmation.count();
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const tampered = await client();
    await tampered
      .query(`INSERT INTO "ConsentWording" ("version", "template") VALUES ($1, 'other words')`, [
        WORDING_VERSION + 1,
      ])
      .finally(() => tampered.end());
    await expect(
      suite.prisma.$executeRawUnsafe(
        `INSERT INTO "ConsentWording" ("version", "template") VALUES (${WORDING_VERSION + 1}, 'edited words') ON CONFLICT ("version") DO NOTHING`,
      ),
    ).rejects.toThrow(/new wording needs a new version/);
    quiet.mockRestore();
    expect(await suite.prisma.reconfirmation.count()).toBe(records);
    expect((await reconfirmOne(user.id, conn.id)).kind).toBe("finished");
  });
});
