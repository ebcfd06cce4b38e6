import "server-only";
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { type Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./env";

/**
 * One node-postgres pool per database URL, shared by Prisma (through its adapter) and by our own SQL.
 * Splits Prisma's `?schema=` and `?connection_limit=` conventions off the URL, since node-postgres
 * knows neither. The embedded database needs `connection_limit=1`: its socket server interleaves
 * protocol messages of concurrent connections, which can hand one query another's result.
 * `?pgbouncer=true` (Prisma's flag for a pooler in transaction mode) turns off the named prepared
 * statements our own SQL otherwise uses.
 */
export function poolFor(databaseUrl: string): { pool: pg.Pool; schema?: string; prepare: boolean } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  const limit = Number(url.searchParams.get("connection_limit") ?? 5);
  const prepare = url.searchParams.get("pgbouncer") !== "true";
  for (const key of ["schema", "connection_limit", "pgbouncer"]) url.searchParams.delete(key);
  const max = Number.isInteger(limit) && limit > 0 ? limit : 5;
  if (schema && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema))
    throw new Error("The database schema name is not valid.");
  // Our own SQL names tables without a schema: the search path points it at Prisma's.
  const options = schema ? `-c search_path="${schema}"` : undefined;
  const pool = new pg.Pool({ connectionString: url.toString(), max, options });
  // An idle connection that drops is replaced on next use; without a listener it would end the process.
  pool.on("error", (error) => console.warn(`[db] idle connection lost (${error.name})`));
  return { pool, schema, prepare };
}

// On the client itself under a registered symbol: the bundler may load this module more than once,
// while the client is shared through globalThis.
const POOL = Symbol.for("reconsent.db.pool");
type WithPool = PrismaClient & { [POOL]?: { pool: pg.Pool; prepare: boolean } };

export function createPrismaClient(databaseUrl: string): PrismaClient {
  const { pool, schema, prepare } = poolFor(databaseUrl);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { schema, disposeExternalPool: true }) });
  (client as WithPool)[POOL] = { pool, prepare };
  return client;
}

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** One client per server process; `next dev` reloads modules, so keep it on globalThis. */
export function db(): PrismaClient {
  globalForPrisma.prisma ??= createPrismaClient(env().DATABASE_URL);
  return globalForPrisma.prisma;
}

// Prisma keeps DateTime in `timestamp(3)` columns as UTC wall time: read and write them that way.
const TIMESTAMP_OID = 1114;

/** A `timestamp(3)` value as text (a column, or inside JSON) to the Date it stands for. */
export function fromUtcTimestamp(value: string): Date {
  return new Date(`${value.replace(" ", "T")}Z`);
}
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID
      ? fromUtcTimestamp
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// Our statements' texts are a small fixed set (values are always parameters), so each gets a name and
// each connection parses and plans it once. The cap only guards against a text built from data.
const MAX_NAMED = 500;
const names = new Map<string, string>();

/** The prepared statement's name for a text: the same on every connection and every process. */
export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `rc_${createHash("sha256").update(text).digest("base64url").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * One statement of our own, written with `Prisma.sql` (so every value is a parameter), run straight on
 * node-postgres as a named prepared statement: the reconfirm action's path, where Prisma's own overhead
 * and PostgreSQL's parsing and planning are most of the cost (docs/decisions/013-hot-path-sql.md).
 * Dates are sent as UTC; cast them in the SQL.
 */
export async function sql<Row>(
  statement: Prisma.Sql,
  prisma: PrismaClient = db(),
): Promise<{ rows: Row[]; rowCount: number }> {
  const own = (prisma as WithPool)[POOL];
  if (!own) throw new Error("This Prisma client was not made by createPrismaClient.");
  const values = statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));
  const name = own.prepare ? statementName(statement.text) : undefined;
  const result = await own.pool.query({ name, text: statement.text, values, types });
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}
