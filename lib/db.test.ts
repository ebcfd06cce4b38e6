import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { createPrismaClient, DatabaseBusyError, poolFor, sql, statementName } from "./db";

const globalForPrisma = globalThis as unknown as { prisma?: unknown };

describe("poolFor (the database URL's own conventions)", () => {
  it("takes schema, connection_limit and pgbouncer off the URL node-postgres sees", async () => {
    const { pool, schema, prepare } = poolFor(
      "postgresql://app@db.example.test:5432/reconsent?schema=s1&connection_limit=3&pgbouncer=true&sslmode=disable",
    );
    expect(schema).toBe("s1");
    expect(prepare).toBe(false);
    expect(pool.options.max).toBe(3);
    const seen = String(pool.options.connectionString);
    expect(seen).not.toMatch(/schema=|connection_limit|pgbouncer/);
    expect(seen).toContain("sslmode=disable");
    await pool.end();
  });

  it("prepares statements by name unless told the connection is shared (pgbouncer=true)", async () => {
    const { pool, prepare } = poolFor("postgresql://app@db.example.test/reconsent");
    expect(prepare).toBe(true);
    await pool.end();
  });

  it("sizes the app's pool from DATABASE_POOL_SIZE, with connection_limit in the URL winning", async () => {
    vi.resetModules();
    const before = globalForPrisma.prisma;
    globalForPrisma.prisma = undefined;
    vi.stubEnv("DATABASE_URL", "postgresql://app@db.example.test:5432/reconsent");
    vi.stubEnv("DATABASE_POOL_SIZE", "2");
    try {
      const fresh = await import("./db");
      const own = (fresh.db() as unknown as Record<symbol, { pool: { options: { max: number } } }>)[
        Symbol.for("reconsent.db.pool")
      ];
      expect(own?.pool.options.max).toBe(2);
      await fresh.db().$disconnect();
    } finally {
      globalForPrisma.prisma = before;
      vi.unstubAllEnvs();
      vi.resetModules();
    }
    const { pool } = poolFor("postgresql://app@db.example.test/reconsent?connection_limit=4", { max: 2 });
    expect(pool.options.max).toBe(4);
    await pool.end();
  });

  it("names a statement text the same way every time, and different texts differently", () => {
    const a = statementName('SELECT 1 FROM "User" WHERE "id" = $1');
    expect(a).toMatch(/^rc_[\w-]{24}$/);
    expect(statementName('SELECT 1 FROM "User" WHERE "id" = $1')).toBe(a);
    expect(statementName('SELECT 2 FROM "User" WHERE "id" = $1')).not.toBe(a);
  });
});

describe("sql() on PostgreSQL", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const prepared = async (client = db.prisma) =>
    (await sql<{ name: string }>(Prisma.sql`SELECT name FROM pg_prepared_statements`, client)).rows.map(
      (r) => r.name,
    );

  it("runs each statement as a named prepared statement, parsed once per connection", async (ctx) => {
    // The embedded database's connections share one session, so its URLs turn naming off.
    if (new URL(db.url).searchParams.get("pgbouncer") === "true") ctx.skip();
    const statement = (n: number) =>
      Prisma.sql`SELECT ${n}::int AS "n", ${new Date(0)}::timestamp(3) AS "at"`;
    const single = createPrismaClient(`${db.url}&connection_limit=1`);
    try {
      const first = await sql<{ n: number; at: Date }>(statement(1), single);
      const second = await sql<{ n: number; at: Date }>(statement(2), single);
      expect(first.rows).toEqual([{ n: 1, at: new Date(0) }]);
      expect(second.rows).toEqual([{ n: 2, at: new Date(0) }]);
      const name = statementName(statement(1).text);
      expect((await prepared(single)).filter((n) => n === name)).toHaveLength(1);
    } finally {
      await single.$disconnect();
    }
  });

  it("prepares nothing by name when the URL says pgbouncer=true", async () => {
    const shared = createPrismaClient(`${db.url}&connection_limit=1&pgbouncer=true`);
    try {
      await sql(Prisma.sql`SELECT ${3}::int AS "n"`, shared);
      expect(await prepared(shared)).toEqual([]);
    } finally {
      await shared.$disconnect();
    }
  });
});

describe("timeouts: a stuck database call fails with a name, never hangs", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());
  const serverSide = () => new URL(db.url).searchParams.get("pgbouncer") !== "true";

  it("a transaction that waits on the pool it holds gets DatabaseBusyError (pool of 1)", async () => {
    const single = createPrismaClient(`${db.url}&connection_limit=1`, { acquireMs: 300 });
    try {
      const started = Date.now();
      const stuck = single.$transaction(async (tx) => {
        await tx.user.count();
        // Wrong on purpose: the shared pool, while this transaction holds its only connection.
        await sql(Prisma.sql`SELECT 1`, single);
      });
      await expect(stuck).rejects.toBeInstanceOf(DatabaseBusyError);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await sql<{ n: number }>(Prisma.sql`SELECT 1::int AS "n"`, single)).rows).toEqual([{ n: 1 }]);
    } finally {
      await single.$disconnect();
    }
  });

  it("the server ends a statement that runs too long", async (ctx) => {
    if (!serverSide()) ctx.skip();
    const client = createPrismaClient(db.url, { statementMs: 200 });
    try {
      await expect(sql(Prisma.sql`SELECT pg_sleep(2)`, client)).rejects.toMatchObject({ code: "57014" });
    } finally {
      await client.$disconnect();
    }
  });

  it("the server ends a transaction left idle, so its connection returns to the pool", async (ctx) => {
    if (!serverSide()) ctx.skip();
    const client = createPrismaClient(`${db.url}&connection_limit=1`, { idleInTransactionMs: 200 });
    try {
      const idle = client.$transaction(
        async (tx) => {
          await tx.user.count();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          await tx.user.count();
        },
        { timeout: 10_000 },
      );
      await expect(idle).rejects.toThrow();
      expect((await sql<{ n: number }>(Prisma.sql`SELECT 1::int AS "n"`, client)).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.$disconnect();
    }
  });
});
