import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Prisma, type PrismaClient } from "@prisma/client";
import pg from "pg";
import { inject } from "vitest";
import { createPrismaClient, transaction } from "@/lib/db";

/** The commit mode a statement leaves its own transaction in ("off": its commit does not wait for the disk). */
export function commitModeAfter(statement: Prisma.Sql, prisma?: PrismaClient): Promise<string | undefined> {
  return transaction(async (tx) => {
    await tx(statement);
    const { rows } = await tx<{ mode: string }>(
      Prisma.sql`SELECT current_setting('synchronous_commit') AS "mode"`,
    );
    return rows[0]?.mode;
  }, prisma);
}

const migrationsDir = path.resolve(import.meta.dirname, "..", "prisma", "migrations");

export function migrationSql(): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8"));
}

export type TestDatabase = { url: string; schema: string; prisma: PrismaClient; drop(): Promise<void> };

/**
 * A schema of its own for one test file, built from the committed migrations, so files run in
 * parallel on the same server without seeing each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = inject("testDatabaseUrl");
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create schema "${schema}"`);
    await admin.query(`set search_path to "${schema}"`);
    for (const sql of migrationSql()) await admin.query(sql);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.searchParams.set("schema", schema);
  const prisma = createPrismaClient(url.toString());
  return {
    url: url.toString(),
    schema,
    prisma,
    async drop() {
      await prisma.$disconnect();
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}
