import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Prisma, type PrismaClient } from "@prisma/client";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
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
 * parallel on the same server without seeing each other's rows. Behind a pooler (`pgbouncer=true` on
 * real PostgreSQL, npm test's pooler stage) a schema cannot be chosen per connection, so each file
 * gets a database of its own instead.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = inject("testDatabaseUrl");
  const pooled =
    inject("testDatabaseKind") === "postgresql" && new URL(baseUrl).searchParams.get("pgbouncer") === "true";
  return pooled ? databaseOfItsOwn(baseUrl) : schemaOfItsOwn(baseUrl);
}

/** This file's own database, made the app's (DATABASE_URL, db()) before its tests: see withAppDatabase(). */
export let appDb: TestDatabase;

/** Gives the test file a database of its own as the app's, dropped after its tests. */
export function withAppDatabase(): void {
  beforeAll(async () => {
    appDb = await createTestDatabase();
    Object.assign(process.env, { DATABASE_URL: appDb.url });
    (globalThis as unknown as { prisma?: PrismaClient }).prisma = appDb.prisma;
  });
  afterAll(() => appDb.drop());
}

async function runSql(connectionString: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function schemaOfItsOwn(baseUrl: string): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  await runSql(baseUrl, [`create schema "${schema}"`, `set search_path to "${schema}"`, ...migrationSql()]);
  const url = new URL(baseUrl);
  url.searchParams.set("schema", schema);
  const prisma = createPrismaClient(url.toString());
  return {
    url: url.toString(),
    schema,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await runSql(baseUrl, [`drop schema if exists "${schema}" cascade`]);
    },
  };
}

async function databaseOfItsOwn(baseUrl: string): Promise<TestDatabase> {
  const name = `${new URL(baseUrl).pathname.slice(1)}_${randomBytes(4).toString("hex")}`;
  await runSql(baseUrl, [`create database "${name}"`]);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  await runSql(url.toString(), migrationSql());
  const prisma = createPrismaClient(url.toString());
  return {
    url: url.toString(),
    schema: "public",
    prisma,
    async drop() {
      await prisma.$disconnect();
      await runSql(baseUrl, [`drop database if exists "${name}" with (force)`]);
    },
  };
}

/** A user with a live session in the app's test database; `token` is the session cookie's value. */
export async function userWithSession(label: string) {
  const user = await appDb.prisma.user.create({
    data: {
      email: `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`,
      name: "Ada",
    },
  });
  const token = `token-${user.id}`;
  await appDb.prisma.session.create({
    data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 60_000) },
  });
  return { user, token };
}
