import { readFileSync } from "node:fs";
import pg from "pg";
import { runPrisma } from "../scripts/prisma.mjs";

/**
 * What the database looks like, in a form two schemas can be compared by: tables, columns,
 * constraints, indexes and enums. Schema names are stripped so two schemas of one server compare.
 */
export async function describeSchema(databaseUrl: string, schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows: string[] = [];
    const columns = await client.query(
      `select table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, '') as def
       from information_schema.columns where table_schema = $1 and table_name <> '_prisma_migrations'`,
      [schema],
    );
    for (const c of columns.rows)
      rows.push(
        `column ${c.table_name}.${c.column_name} ${c.data_type}/${c.udt_name} null=${c.is_nullable} default=${c.def}`,
      );
    const constraints = await client.query(
      `select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def
       from pg_constraint where connamespace = $1::regnamespace`,
      [schema],
    );
    for (const c of constraints.rows) rows.push(`constraint ${c.tbl} ${c.conname} ${c.def}`);
    const indexes = await client.query(
      `select tablename, indexname, indexdef from pg_indexes where schemaname = $1 and tablename <> '_prisma_migrations'`,
      [schema],
    );
    for (const i of indexes.rows) rows.push(`index ${i.tablename} ${i.indexname} ${i.indexdef}`);
    const enums = await client.query(
      `select t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder) as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid where t.typnamespace = $1::regnamespace group by t.typname`,
      [schema],
    );
    for (const e of enums.rows) rows.push(`enum ${e.typname} ${e.labels}`);
    return rows.map((r) => r.replaceAll(`"${schema}".`, "").replaceAll(`${schema}.`, "")).sort();
  } finally {
    await client.end();
  }
}

/** The SQL that builds `schemaFile` from nothing, as Prisma would write it. */
export function sqlForSchema(schemaFile: string, databaseUrl: string): string {
  const result = runPrisma(
    ["migrate", "diff", "--from-empty", "--to-schema-datamodel", schemaFile, "--script"],
    { env: { DATABASE_URL: databaseUrl }, stdio: "pipe" },
  );
  if (result.status !== 0) throw new Error(`prisma migrate diff failed: ${result.stderr}`);
  return result.stdout;
}

export function readSchema(file: string): string {
  return readFileSync(file, "utf8");
}
