import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { type Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./env";

/**
 * One node-postgres pool per database URL, shared by Prisma (through its adapter) and by our own SQL.
 * Splits Prisma's `?schema=` and `?connection_limit=` conventions off the URL, since node-postgres
 * knows neither. The embedded database needs `connection_limit=1`: its socket server interleaves
 * protocol messages of concurrent connections, which can hand one query another's result.
 */
export function poolFor(databaseUrl: string): { pool: pg.Pool; schema?: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  const limit = Number(url.searchParams.get("connection_limit") ?? 5);
  url.searchParams.delete("schema");
  url.searchParams.delete("connection_limit");
  const max = Number.isInteger(limit) && limit > 0 ? limit : 5;
  if (schema && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema))
    throw new Error("The database schema name is not valid.");
  // Our own SQL names tables without a schema: the search path points it at Prisma's.
  const options = schema ? `-c search_path="${schema}"` : undefined;
  const pool = new pg.Pool({ connectionString: url.toString(), max, options });
  // An idle connection that drops is replaced on next use; without a listener it would end the process.
  pool.on("error", (error) => console.warn(`[db] idle connection lost (${error.name})`));
  return { pool, schema };
}

// On the client itself under a registered symbol: the bundler may load this module more than once,
// while the client is shared through globalThis.
const POOL = Symbol.for("reconsent.db.pool");
type WithPool = PrismaClient & { [POOL]?: pg.Pool };

export function createPrismaClient(databaseUrl: string): PrismaClient {
  const { pool, schema } = poolFor(databaseUrl);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { schema, disposeExternalPool: true }) });
  (client as WithPool)[POOL] = pool;
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

/**
 * One statement of our own, written with `Prisma.sql` (so every value is a parameter), run straight on
 * node-postgres: the reconfirm action's path, where Prisma's own overhead is most of the cost
 * (docs/decisions/013-hot-path-sql.md). Dates are sent as UTC; cast them in the SQL.
 */
export async function sql<Row>(
  statement: Prisma.Sql,
  prisma: PrismaClient = db(),
): Promise<{ rows: Row[]; rowCount: number }> {
  const pool = (prisma as WithPool)[POOL];
  if (!pool) throw new Error("This Prisma client was not made by createPrismaClient.");
  const values = statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));
  const result = await pool.query({ text: statement.text, values, types });
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}
