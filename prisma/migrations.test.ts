import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { dropDatabase, freshDatabase, startEmbedded } from "../scripts/lib/database.mjs";
import { runPrisma } from "../scripts/prisma.mjs";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { describeSchema, readSchema, sqlForSchema } from "./schema-drift";

const schemaFile = path.resolve(import.meta.dirname, "schema.prisma");
const opened: TestDatabase[] = [];
afterAll(async () => Promise.all(opened.map((d) => d.drop())));

async function schemaBuiltFrom(sql: string): Promise<{ url: string; schema: string }> {
  const db = await createTestDatabase();
  opened.push(db);
  const client = new pg.Client({ connectionString: inject("testDatabaseUrl") });
  await client.connect();
  await client.query(
    `drop schema "${db.schema}" cascade; create schema "${db.schema}"; set search_path to "${db.schema}"`,
  );
  await client.query(sql);
  await client.end();
  return { url: inject("testDatabaseUrl"), schema: db.schema };
}

describe("committed migrations and schema.prisma", () => {
  it("describe the same database", async () => {
    const migrated = await createTestDatabase();
    opened.push(migrated);
    const fromSchema = await schemaBuiltFrom(sqlForSchema(schemaFile, inject("testDatabaseUrl")));
    const a = await describeSchema(inject("testDatabaseUrl"), migrated.schema);
    const b = await describeSchema(fromSchema.url, fromSchema.schema);
    expect(a.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
  });

  it("disagree as soon as schema.prisma changes without a migration", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "reconsent-drift-"));
    const edited = path.join(dir, "schema.prisma");
    writeFileSync(
      edited,
      readSchema(schemaFile).replace(
        "  statusReason         String?",
        "  statusReason         String?\n  nickname String?",
      ),
    );
    const migrated = await createTestDatabase();
    opened.push(migrated);
    const fromEdited = await schemaBuiltFrom(sqlForSchema(edited, inject("testDatabaseUrl")));
    const a = await describeSchema(inject("testDatabaseUrl"), migrated.schema);
    const b = await describeSchema(fromEdited.url, fromEdited.schema);
    expect(b.filter((row) => !a.includes(row))).toEqual([expect.stringContaining("Connection.nickname")]);
  });
});

describe("prisma migrate deploy (the production command)", () => {
  it("applies every migration to the embedded database", async () => {
    const embedded = await startEmbedded();
    try {
      const result = runPrisma(["migrate", "deploy"], { env: { DATABASE_URL: embedded.url }, stdio: "pipe" });
      expect(result.stdout + result.stderr).toContain("successfully applied");
      expect(result.status).toBe(0);
      const status = runPrisma(["migrate", "status"], { env: { DATABASE_URL: embedded.url }, stdio: "pipe" });
      expect(status.stdout).toContain("Database schema is up to date");
    } finally {
      await embedded.stop();
    }
  }, 120_000);

  it.runIf(inject("testDatabaseKind") === "postgresql")(
    "applies every migration to the real PostgreSQL",
    async () => {
      const name = `reconsent_migrate_${process.pid}`;
      const url = await freshDatabase(inject("testDatabaseUrl"), "postgresql", name);
      try {
        const result = runPrisma(["migrate", "deploy"], { env: { DATABASE_URL: url }, stdio: "pipe" });
        expect(result.status).toBe(0);
        expect(result.stdout + result.stderr).toContain("successfully applied");
      } finally {
        await dropDatabase(inject("testDatabaseUrl"), "postgresql", name);
      }
    },
    120_000,
  );
});
