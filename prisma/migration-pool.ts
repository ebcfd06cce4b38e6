import pg from "pg";
import { databaseUrlOptions, SCHEMA_NAME } from "../lib/environment/database-url";

const NAME_OID = 19;
const NAME_ARRAY_OID = 1003;
const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;

type Field = { dataTypeID: number };
type Result = { fields?: Field[] };
type Callback = (err: Error | null, res: Result) => void;

function asText(result: Result): Result {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
    if (field.dataTypeID === NAME_ARRAY_OID) field.dataTypeID = TEXT_ARRAY_OID;
  }
  return result;
}

/**
 * A pool for the Prisma CLI only. adapter-pg cannot map PostgreSQL's catalog type `name`
 * (prisma/orm#27403), which the migrate engine reads; report it as text instead.
 * The app's runtime pool needs none of this.
 */
export function migrationPool(connectionString: string, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, options });
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    const patched = (...args: unknown[]): unknown => {
      const last = args.at(-1);
      if (typeof last === "function") {
        const callback = last as Callback;
        args[args.length - 1] = (err: Error | null, res: Result) => callback(err, err ? res : asText(res));
        return original(...args);
      }
      const out = original(...args);
      return out instanceof Promise ? out.then((res: Result) => asText(res)) : out;
    };
    Object.assign(client, { query: patched });
  });
  return pool;
}

/**
 * What `prisma migrate` connects with: `?schema=` becomes the search path (the migration SQL names no
 * schema), and role-level timeouts meant for the app (decision 015) are lifted for long migrations.
 * A pooler refuses both start-up options, so a schema is refused behind one.
 */
export function migrationConnection(url: string): { pool: pg.Pool; schema?: string } {
  const { schema, pooled, connectionString } = databaseUrlOptions(url);
  if (schema && !SCHEMA_NAME.test(schema)) throw new Error("The database schema name is not valid.");
  if (schema && pooled)
    throw new Error(
      "Migrations cannot use schema= through a pooler (pgbouncer=true): set DIRECT_URL to the database itself.",
    );
  if (pooled) return { pool: migrationPool(connectionString), schema };
  const settings = ["-c statement_timeout=0", "-c idle_in_transaction_session_timeout=0"];
  if (schema) settings.push(`-c search_path="${schema}"`);
  return { pool: migrationPool(connectionString, settings.join(" ")), schema };
}
