import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { dropDatabase, freshDatabase } from "../scripts/lib/database.mjs";

// Only in npm test's pooler stage (scripts/lib/pooler-stage.mjs): TEST_DATABASE_URL is then PgBouncer's.
const direct = process.env.TEST_POOLER_DIRECT_URL;
const root = path.resolve(import.meta.dirname, "..");

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe.runIf(direct)("behind PgBouncer in transaction mode", () => {
  const pooled = () => inject("testDatabaseUrl");

  it("is a pooler that refuses the start-up options a direct connection takes", async () => {
    const withOptions = new URL(pooled());
    withOptions.searchParams.delete("pgbouncer");
    const client = new pg.Client({ connectionString: withOptions.toString(), options: "-c search_path=x" });
    await expect(client.connect()).rejects.toThrow(/unsupported startup parameter: options/);
    await client.end().catch(() => {});
  });

  it("gives pooled connections the timeouts npm run db:role-timeouts sets on the role", async () => {
    const name = `reconsent_pooled_roles_${process.pid}`;
    const url = await freshDatabase(direct ?? "", "postgresql", name);
    const pooledUrl = new URL(pooled());
    pooledUrl.pathname = `/${name}`;
    try {
      expect(await query(pooledUrl.toString(), "SHOW statement_timeout")).toEqual([
        { statement_timeout: "0" },
      ]);
      const result = spawnSync(process.execPath, ["scripts/db-role-timeouts.mjs"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: pooledUrl.toString(), DIRECT_URL: url },
        encoding: "utf8",
      });
      expect(result.status).toBe(0);
      // PgBouncer keeps server connections; the setting reaches those opened after it.
      await query(
        direct ?? "",
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`,
      );
      expect(await query(pooledUrl.toString(), "SHOW statement_timeout")).toEqual([
        { statement_timeout: "10s" },
      ]);
    } finally {
      await dropDatabase(direct ?? "", "postgresql", name);
    }
  }, 60_000);
});
