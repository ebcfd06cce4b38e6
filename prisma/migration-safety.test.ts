import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Breach, breachesIn, type Columns, checkMigrations, type Migration } from "./migration-safety";

const folder = path.resolve(import.meta.dirname, "migrations");

/** Shipped before the rule existed (decision 037): the check judges every migration after these. */
const SHIPPED = [
  "20261127000000_init",
  "20261127000100_append_only",
  "20261127000200_connection_lease",
  "20261127001000_reminders_and_funnel",
  "20261127002000_rate_limits",
  "20261201000000_browser_binding",
  "20261201100000_truelayer_fidelity",
  "20261201120000_consent_records",
  "20261201140000_balances",
  "20261201150000_reminder_links",
] as const;

function readMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

/** The columns a database has after `sqls`, read from a scratch schema. */
async function columnsAfter(sqls: string[]): Promise<Columns> {
  const schema = `safety_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: inject("testDatabaseUrl") });
  await client.connect();
  try {
    await client.query(`create schema "${schema}"`);
    await client.query(`set search_path to "${schema}"`);
    for (const sql of sqls) await client.query(sql);
    const { rows } = await client.query(
      `select table_name, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale,
              datetime_precision from information_schema.columns where table_schema = $1`,
      [schema],
    );
    return new Map(
      rows.map((r) => [
        `${r.table_name}.${r.column_name}`,
        {
          dataType: r.data_type,
          length: r.character_maximum_length,
          precision: r.numeric_precision,
          scale: r.numeric_scale,
          datetimePrecision: r.datetime_precision,
        },
      ]),
    );
  } finally {
    await client.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
    await client.end();
  }
}

async function check(dir: string): Promise<string[]> {
  const migrations = readMigrations(dir);
  const before = new Map<number, Columns>();
  for (const [index, { name }] of migrations.entries())
    if (!SHIPPED.includes(name as (typeof SHIPPED)[number]))
      before.set(index, await columnsAfter(migrations.slice(0, index).map((m) => m.sql)));
  return checkMigrations(migrations, SHIPPED, (index) => before.get(index) ?? new Map());
}

let today: Columns;
beforeAll(async () => {
  today = await columnsAfter(readMigrations(folder).map((m) => m.sql));
}, 60_000);

const rules = (sql: string) => breachesIn(sql, today).map((b: Breach) => b.rule);

describe("the migrations in prisma/migrations keep the expand/contract rule", () => {
  it("every migration after the shipped ones leaves the previous deployment's tables and columns alone", async () => {
    expect(await check(folder)).toEqual([]);
  }, 120_000);

  it("grandfathers only migrations that exist, by name", () => {
    const names = readMigrations(folder).map((m) => m.name);
    for (const name of SHIPPED) expect(names).toContain(name);
  });
});

describe("each breach is refused on its own", () => {
  it.each([
    ["DROP COLUMN", 'ALTER TABLE "Connection" DROP COLUMN "statusReason";', ["drop-column"]],
    ["DROP without COLUMN", 'ALTER TABLE "Connection" DROP "statusReason" CASCADE;', ["drop-column"]],
    [
      "DROP COLUMN IF EXISTS",
      'ALTER TABLE "Connection" DROP COLUMN IF EXISTS "statusReason";',
      ["drop-column"],
    ],
    ["DROP TABLE", 'DROP TABLE "CallbackPost";', ["drop-table"]],
    [
      "DROP TABLE of two",
      'DROP TABLE IF EXISTS "CallbackPost", "ParkedReturn" CASCADE;',
      ["drop-table", "drop-table"],
    ],
    [
      "RENAME COLUMN",
      'ALTER TABLE "Connection" RENAME COLUMN "statusReason" TO "reason";',
      ["rename-column"],
    ],
    [
      "RENAME without COLUMN",
      'ALTER TABLE "Connection" RENAME "statusReason" TO "reason";',
      ["rename-column"],
    ],
    ["RENAME TO (a table)", 'ALTER TABLE "CallbackPost" RENAME TO "PostedReturn";', ["rename-table"]],
    ["SET SCHEMA (a table moved)", 'ALTER TABLE "CallbackPost" SET SCHEMA archive;', ["rename-table"]],
    [
      "ALTER TYPE that narrows text",
      'ALTER TABLE "Connection" ALTER COLUMN "statusReason" TYPE VARCHAR(20);',
      ["narrow-type"],
    ],
    [
      "ALTER TYPE to another family",
      'ALTER TABLE "Connection" ALTER COLUMN "statusReason" SET DATA TYPE INTEGER USING 0;',
      ["narrow-type"],
    ],
    [
      "ALTER TYPE of fewer timestamp digits",
      'ALTER TABLE "Connection" ALTER COLUMN "createdAt" TYPE TIMESTAMP(0);',
      ["narrow-type"],
    ],
    ["SET NOT NULL", 'ALTER TABLE "Connection" ALTER COLUMN "statusReason" SET NOT NULL;', ["set-not-null"]],
    [
      "a required column without a default",
      'ALTER TABLE "Connection" ADD COLUMN "nickname" TEXT NOT NULL;',
      ["add-required-column"],
    ],
    [
      "a drop among other actions",
      'ALTER TABLE "Connection" ADD COLUMN "nickname" TEXT, DROP COLUMN "statusReason";',
      ["drop-column"],
    ],
    [
      "split across lines",
      'ALTER TABLE\n  "Connection"\n  DROP\n  COLUMN\n  "statusReason"\n;',
      ["drop-column"],
    ],
    [
      "lower case",
      'alter table "Connection" drop column "statusReason"; drop table "CallbackPost";',
      ["drop-column", "drop-table"],
    ],
    [
      "unquoted and qualified names",
      "alter table public.callbackpost rename to old_posts;",
      ["rename-table"],
    ],
    [
      "behind a comment and a string with a semicolon",
      `-- tidy up\nINSERT INTO "Note" VALUES ('a; DROP TABLE x');\nALTER TABLE "Connection" DROP COLUMN "statusReason";`,
      ["drop-column"],
    ],
    [
      "inside a DO block",
      'DO $$ BEGIN EXECUTE \'ALTER TABLE "Connection" DROP COLUMN "statusReason"\'; END $$;',
      ["dynamic-ddl"],
    ],
  ])("%s", (_, sql, expected) => {
    expect(rules(sql)).toEqual(expected);
  });
});

describe("what expands is allowed", () => {
  it.each([
    ["a new table", 'CREATE TABLE "Note" ("id" TEXT NOT NULL, CONSTRAINT "Note_pkey" PRIMARY KEY ("id"));'],
    ["a nullable column", 'ALTER TABLE "Connection" ADD COLUMN "nickname" TEXT;'],
    [
      "a required column with a default",
      `ALTER TABLE "Connection" ADD COLUMN "tries" INTEGER NOT NULL DEFAULT 0;`,
    ],
    [
      "dropping a constraint, an index or NOT NULL",
      'ALTER TABLE "Connection" DROP CONSTRAINT "x", ALTER COLUMN "statusReason" DROP NOT NULL; DROP INDEX "y";',
    ],
    ["renaming a constraint", 'ALTER TABLE "Connection" RENAME CONSTRAINT "a" TO "b";'],
    ["widening text", 'ALTER TABLE "Connection" ALTER COLUMN "statusReason" TYPE TEXT;'],
    ["widening timestamps", 'ALTER TABLE "Connection" ALTER COLUMN "createdAt" TYPE TIMESTAMP(6);'],
    ["the words in a string", `INSERT INTO "Note" VALUES ('DROP TABLE "Connection"');`],
  ])("%s", (_, sql) => {
    expect(rules(sql)).toEqual([]);
  });
});

describe("the contract step of an earlier expand", () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  function folderWith(extra: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "reconsent-migrations-"));
    made.push(dir);
    cpSync(folder, dir, { recursive: true });
    for (const [name, sql] of Object.entries(extra)) {
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, "migration.sql"), sql);
    }
    return dir;
  }
  const expand = 'ALTER TABLE "Connection" ADD COLUMN "reason" TEXT;';
  const contract = 'ALTER TABLE "Connection" DROP COLUMN "statusReason";';

  it("fails a new migration that drops a column, naming it", async () => {
    const problems = await check(folderWith({ "20270101000000_drop_reason": contract }));
    expect(problems).toEqual([
      expect.stringMatching(
        /^20270101000000_drop_reason drops column Connection\.statusReason: .*contract-of/,
      ),
    ]);
  }, 120_000);

  it("passes it when its first line names an earlier expand, and fails a marker naming none", async () => {
    const marked = await check(
      folderWith({
        "20270101000000_add_reason": expand,
        "20270201000000_drop_status_reason": `-- contract-of: 20270101000000_add_reason\n${contract}`,
      }),
    );
    expect(marked).toEqual([]);
    const later = await check(
      folderWith({
        "20270101000000_drop_status_reason": `-- contract-of: 20270201000000_add_reason\n${contract}`,
        "20270201000000_add_reason": expand,
      }),
    );
    expect(later).toEqual([
      expect.stringMatching(/names 20270201000000_add_reason as its expand, but no earlier/),
    ]);
  }, 120_000);

  it("judges a new type change against the columns before it", async () => {
    const problems = await check(
      folderWith({
        "20270101000000_short_reason":
          'ALTER TABLE "Connection" ALTER COLUMN "statusReason" TYPE VARCHAR(10);',
        "20270201000000_long_reason":
          'ALTER TABLE "Connection" ALTER COLUMN "statusReason" TYPE VARCHAR(200);',
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^20270101000000_short_reason changes Connection\.statusReason from text to VARCHAR\(10\)/,
      ),
    ]);
  }, 120_000);
});
