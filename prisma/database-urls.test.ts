import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { createPrismaClient, sql } from "@/lib/db";
import { dropDatabase, freshDatabase } from "../scripts/lib/database.mjs";
import { runPrisma } from "../scripts/prisma.mjs";

const onPostgres = inject("testDatabaseKind") === "postgresql";
const admin = () => inject("testDatabaseUrl");
const UNREACHABLE = "postgresql://app@127.0.0.1:1/unreachable?pgbouncer=true";

async function tablesBySchema(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ schema: string; n: number }>(
      `select table_schema as schema, count(*)::int as n from information_schema.tables
       where table_schema not in ('pg_catalog', 'information_schema') group by 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.schema, r.n]));
  } finally {
    await client.end();
  }
}

async function withDatabase(suffix: string, work: (url: string) => Promise<void>) {
  const name = `reconsent_urls_${suffix}_${process.pid}`;
  const url = await freshDatabase(admin(), "postgresql", name);
  try {
    await work(url);
  } finally {
    await dropDatabase(admin(), "postgresql", name);
  }
}

describe.runIf(onPostgres)("database URLs as managed PostgreSQL hands them out", () => {
  it("migrates into the schema ?schema= names, where the app then reads and writes", async () => {
    await withDatabase("schema", async (url) => {
      const inSchema = `${url}?schema=consent_app`;
      const migrated = runPrisma(["migrate", "deploy"], { env: { DATABASE_URL: inSchema }, stdio: "pipe" });
      expect(migrated.status).toBe(0);
      const tables = await tablesBySchema(url);
      expect(tables.consent_app).toBeGreaterThan(10);
      expect(tables.public).toBeUndefined();
      const prisma = createPrismaClient(inSchema);
      try {
        await prisma.user.create({ data: { email: "schema@reconsent.localhost" } });
        const { rows } = await sql<{ n: number }>(
          (await import("@prisma/client")).Prisma.sql`SELECT count(*)::int AS n FROM "User"`,
          prisma,
        );
        expect(rows[0]?.n).toBe(1);
      } finally {
        await prisma.$disconnect();
      }
    });
  }, 120_000);

  it("migrates through DIRECT_URL, never the pooled DATABASE_URL", async () => {
    await withDatabase("direct", async (url) => {
      const migrated = runPrisma(["migrate", "deploy"], {
        env: { DATABASE_URL: UNREACHABLE, DIRECT_URL: url },
        stdio: "pipe",
      });
      expect(migrated.stdout + migrated.stderr).toContain("successfully applied");
      expect(migrated.status).toBe(0);
    });
  }, 120_000);

  it("refuses ?schema= behind a pooler, and says to set DIRECT_URL", () => {
    const refused = runPrisma(["migrate", "deploy"], {
      env: { DATABASE_URL: `${UNREACHABLE}&schema=consent_app` },
      stdio: "pipe",
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/schema= through a pooler.*set DIRECT_URL/);
  });

  it("lifts a role's statement timeout for migrations, which may run longer than the app's statements", async () => {
    const role = `reconsent_migrator_${process.pid}`;
    const client = new pg.Client({ connectionString: admin() });
    await client.connect();
    try {
      await client.query(`drop role if exists ${role}`);
      await client.query(`create role ${role} login`);
      await withDatabase("role", async (url) => {
        const name = new URL(url).pathname.slice(1);
        await client.query(`alter database "${name}" owner to ${role}`);
        await client.query(`alter role ${role} in database "${name}" set statement_timeout = '1ms'`);
        const asRole = new URL(url);
        asRole.username = role;
        const migrated = runPrisma(["migrate", "deploy"], {
          env: { DATABASE_URL: asRole.toString() },
          stdio: "pipe",
        });
        expect(migrated.stdout + migrated.stderr).toContain("successfully applied");
        expect(migrated.status).toBe(0);
      });
    } finally {
      await client.query(`drop role if exists ${role}`).catch(() => {});
      await client.end();
    }
  }, 120_000);
});
