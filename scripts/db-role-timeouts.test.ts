import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { DB_TIMEOUTS } from "@/lib/db";
import { ROLE_TIMEOUTS, roleTimeoutStatements } from "./db-role-timeouts.mjs";
import { dropDatabase, freshDatabase } from "./lib/database.mjs";

const root = path.resolve(import.meta.dirname, "..");

describe("npm run db:role-timeouts", () => {
  it("sets the same timeouts the app sends when no pooler is in the way (decision 015)", () => {
    expect(ROLE_TIMEOUTS).toEqual({
      statement_timeout: `${DB_TIMEOUTS.statementMs / 1000}s`,
      idle_in_transaction_session_timeout: `${DB_TIMEOUTS.idleInTransactionMs / 1000}s`,
    });
  });

  it("names the app's role and database from DATABASE_URL, quoted, or the role given", () => {
    expect(
      roleTimeoutStatements({ databaseUrl: "postgresql://app%22x:pw@pool:6432/recon?pgbouncer=true" }),
    ).toEqual([
      `ALTER ROLE "app""x" IN DATABASE "recon" SET statement_timeout = '10s'`,
      `ALTER ROLE "app""x" IN DATABASE "recon" SET idle_in_transaction_session_timeout = '10s'`,
    ]);
    expect(
      roleTimeoutStatements({ databaseUrl: "postgresql://postgres.ab12:pw@pool/db", role: "postgres" })[0],
    ).toMatch(/^ALTER ROLE "postgres" IN DATABASE "db"/);
  });

  it.runIf(inject("testDatabaseKind") === "postgresql")(
    "gives every new connection of that role, in that database, the timeouts",
    async () => {
      const admin = inject("testDatabaseUrl");
      const role = `reconsent_app_${process.pid}`;
      const name = `reconsent_roles_${process.pid}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`drop role if exists ${role}`);
      await client.query(`create role ${role} login`);
      const url = await freshDatabase(admin, "postgresql", name);
      try {
        const asApp = new URL(url);
        asApp.username = role;
        asApp.searchParams.set("pgbouncer", "true");
        const result = spawnSync(process.execPath, ["scripts/db-role-timeouts.mjs"], {
          cwd: root,
          env: { ...process.env, DATABASE_URL: asApp.toString(), DIRECT_URL: url },
          encoding: "utf8",
        });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        asApp.searchParams.delete("pgbouncer");
        const app = new pg.Client({ connectionString: asApp.toString() });
        await app.connect();
        const shown = await app.query(
          "select current_setting('statement_timeout') as s, current_setting('idle_in_transaction_session_timeout') as i",
        );
        await app.end();
        expect(shown.rows[0]).toEqual({ s: "10s", i: "10s" });
        const elsewhere = new pg.Client({ connectionString: admin });
        await elsewhere.connect();
        const other = await elsewhere.query("show statement_timeout");
        await elsewhere.end();
        expect(other.rows[0].statement_timeout).toBe("0");
      } finally {
        await dropDatabase(admin, "postgresql", name);
        await client.query(`drop role if exists ${role}`).catch(() => {});
        await client.end();
      }
    },
    60_000,
  );
});
