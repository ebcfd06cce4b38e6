import "server-only";
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { type Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./env";

/**
 * How long anything may wait on the database before it fails with a name instead of hanging
 * (docs/decisions/015-database-timeouts.md). Our transactions hold no outside call, so a
 * transaction idle for seconds, or a request that cannot get a connection for seconds, is a bug.
 */
export const DB_TIMEOUTS = {
  /** Waiting for a free connection from the pool. */
  acquireMs: 5_000,
  /** One statement on the server. */
  statementMs: 10_000,
  /** A transaction left open with nothing running in it. */
  idleInTransactionMs: 10_000,
};

/** The pool had no free connection in time: typically a transaction waiting on the pool it holds. */
export class DatabaseBusyError extends Error {
  override name = "DatabaseBusyError";
  constructor(max: number, waitedMs: number) {
    super(`No database connection came free within ${waitedMs} ms (pool of ${max}).`);
  }
}

type Connect = pg.Pool["connect"];

/**
 * Two guards on every checkout, for Prisma's queries, its transactions and our own SQL alike:
 * an acquire timeout gets a name a log and a test can match (pg-pool reports a plain Error); and a
 * connection that dies while checked out goes back to the pool at once. Prisma skips releasing a
 * transaction's connection when its ROLLBACK fails, which it does when the server has ended the
 * session, so without this each such death would shrink the pool for good.
 */
function guardCheckouts(pool: pg.Pool, max: number, waitedMs: number): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const rename = (error: unknown) =>
    error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)
      ? new DatabaseBusyError(max, waitedMs)
      : error;
  const guard = (client: pg.PoolClient) => {
    const release = client.release;
    let released = false;
    const onEnd = () => free(new Error("The database connection ended while in use."));
    const free = (error?: Error | boolean) => {
      if (released) return;
      released = true;
      client.removeListener("end", onEnd);
      release.call(client, error);
    };
    client.release = free;
    client.once("end", onEnd);
    return client;
  };
  pool.connect = ((callback?: (error: unknown, client?: pg.PoolClient, done?: unknown) => void) => {
    if (typeof callback === "function")
      return connect((error: unknown, client?: pg.PoolClient) => {
        if (error || !client) return callback(rename(error));
        const guarded = guard(client);
        callback(undefined, guarded, guarded.release);
      });
    return (connect() as Promise<pg.PoolClient>).then(guard, (error: unknown) => {
      throw rename(error);
    });
  }) as Connect;
}

export type PoolOptions = Partial<typeof DB_TIMEOUTS>;

/**
 * One node-postgres pool per database URL, shared by Prisma (through its adapter) and by our own SQL.
 * Splits Prisma's `?schema=` and `?connection_limit=` conventions off the URL, since node-postgres
 * knows neither. The embedded database needs `connection_limit=1`: its socket server interleaves
 * protocol messages of concurrent connections, which can hand one query another's result.
 * `?pgbouncer=true` (Prisma's flag for a pooler in transaction mode) turns off the named prepared
 * statements our own SQL otherwise uses, and the server-side timeouts, which poolers refuse as
 * startup parameters (set them on the database role there).
 */
export function poolFor(
  databaseUrl: string,
  options: PoolOptions = {},
): { pool: pg.Pool; schema?: string; prepare: boolean } {
  const timeouts = { ...DB_TIMEOUTS, ...options };
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  const limit = Number(url.searchParams.get("connection_limit") ?? 5);
  const prepare = url.searchParams.get("pgbouncer") !== "true";
  for (const key of ["schema", "connection_limit", "pgbouncer"]) url.searchParams.delete(key);
  const max = Number.isInteger(limit) && limit > 0 ? limit : 5;
  if (schema && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema))
    throw new Error("The database schema name is not valid.");
  // Our own SQL names tables without a schema: the search path points it at Prisma's.
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max,
    options: schema ? `-c search_path="${schema}"` : undefined,
    connectionTimeoutMillis: timeouts.acquireMs,
    ...(prepare
      ? {
          statement_timeout: timeouts.statementMs,
          idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
        }
      : {}),
  });
  guardCheckouts(pool, max, timeouts.acquireMs);
  // An idle connection that drops is replaced on next use; without a listener it would end the process.
  pool.on("error", (error) => console.warn(`[db] idle connection lost (${error.name})`));
  return { pool, schema, prepare };
}

// On the client itself under a registered symbol: the bundler may load this module more than once,
// while the client is shared through globalThis.
const POOL = Symbol.for("reconsent.db.pool");
type WithPool = PrismaClient & { [POOL]?: { pool: pg.Pool; prepare: boolean } };

export function createPrismaClient(databaseUrl: string, options: PoolOptions = {}): PrismaClient {
  const { pool, schema, prepare } = poolFor(databaseUrl, options);
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { schema, disposeExternalPool: true }),
    // Prisma's own waits, in line with the pool's: starting a transaction waits as long as a
    // connection may take to come free, and a transaction may run as long as a statement may.
    transactionOptions: {
      maxWait: options.acquireMs ?? DB_TIMEOUTS.acquireMs,
      timeout: options.statementMs ?? DB_TIMEOUTS.statementMs,
    },
  });
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
