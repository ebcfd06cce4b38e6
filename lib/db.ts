import "server-only";
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./env";
import { databaseUrlOptions, SCHEMA_NAME } from "./environment/database-url";
import { inSpan, sqlSummary } from "./telemetry/spans";

// Waits fail with a name instead of hanging (docs/decisions/015-database-timeouts.md).
export const DB_TIMEOUTS = {
  acquireMs: 5_000,
  statementMs: 10_000,
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

// Names the acquire timeout (pg-pool's is a plain Error) and frees a connection that dies while checked out:
// Prisma skips the release when its ROLLBACK fails, so each such death would shrink the pool for good.
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

export type PoolOptions = Partial<typeof DB_TIMEOUTS> & { max?: number };

// node-postgres knows neither `?schema=` nor `?connection_limit=` (beats `max`; the embedded database needs 1: it
// interleaves messages). `?pgbouncer=true` drops named statements and timeouts, which poolers refuse at startup.
export function poolFor(
  databaseUrl: string,
  options: PoolOptions = {},
): { pool: pg.Pool; schema?: string; prepare: boolean } {
  const timeouts = { ...DB_TIMEOUTS, ...options };
  const { schema, pooled, connectionLimit, connectionString } = databaseUrlOptions(databaseUrl);
  const prepare = !pooled;
  const limit = connectionLimit ?? options.max ?? 5;
  const max = Number.isInteger(limit) && limit > 0 ? limit : 5;
  if (schema && !SCHEMA_NAME.test(schema)) throw new Error("The database schema name is not valid.");
  // Our own SQL names tables without a schema: the search path points it at Prisma's.
  const pool = new pg.Pool({
    connectionString,
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

// Registered: the bundler (and `next dev`'s reloads) may load this module more than once; one client per process.
const POOL = Symbol.for("reconsent.db.pool");
type WithPool = PrismaClient & { [POOL]?: { pool: pg.Pool; prepare: boolean } };

export function createPrismaClient(databaseUrl: string, options: PoolOptions = {}): PrismaClient {
  const { pool, schema, prepare } = poolFor(databaseUrl, options);
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { schema, disposeExternalPool: true }),
    transactionOptions: {
      maxWait: options.acquireMs ?? DB_TIMEOUTS.acquireMs,
      timeout: options.statementMs ?? DB_TIMEOUTS.statementMs,
    },
  });
  (client as WithPool)[POOL] = { pool, prepare };
  return client;
}

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export function db(): PrismaClient {
  const { DATABASE_URL, DATABASE_POOL_SIZE } = env();
  globalForPrisma.prisma ??= createPrismaClient(DATABASE_URL, { max: DATABASE_POOL_SIZE });
  return globalForPrisma.prisma;
}

// Prisma keeps DateTime in `timestamp(3)` columns as UTC wall time: read and write them that way.
const TIMESTAMP_OID = 1114;

export function fromUtcTimestamp(value: string): Date {
  return new Date(`${value.replace(" ", "T")}Z`);
}
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID
      ? fromUtcTimestamp
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// Named statements: each connection parses and plans a text once; the cap guards data-built text (decision 014).
const MAX_NAMED = 500;
const names = new Map<string, string>();

export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `rc_${createHash("sha256").update(text).digest("base64url").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

// A select-list item: its transaction commits without the disk (a crash may lose it; later statements wait as ever).
// Only where every write is disposable (a rate-limit count), never in transaction(); a durable commit costs ~3 ms.
export const COMMIT_WITHOUT_FLUSH = Prisma.sql`set_config('synchronous_commit', 'off', true)`;

export type SqlResult<Row> = { rows: Row[]; rowCount: number };
export type Sql = <Row>(statement: Prisma.Sql) => Promise<SqlResult<Row>>;

function ownPool(prisma: PrismaClient) {
  const own = (prisma as WithPool)[POOL];
  if (!own) throw new Error("This Prisma client was not made by createPrismaClient.");
  return own;
}

async function run<Row>(
  on: pg.Pool | pg.PoolClient,
  prepare: boolean,
  statement: Prisma.Sql,
): Promise<SqlResult<Row>> {
  const values = statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));
  const name = prepare ? statementName(statement.text) : undefined;
  const { operation, summary } = sqlSummary(statement.text);
  const attributes = {
    "db.system.name": "postgresql",
    "db.operation.name": operation,
    "db.query.summary": summary,
  };
  return inSpan(summary, attributes, async (span) => {
    const result = await on.query({ name, text: statement.text, values, types });
    span.setAttribute("db.response.returned_rows", result.rowCount ?? 0);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  });
}

// Run on node-postgres as a named prepared statement (decision 013). Dates are sent as UTC; cast them in the SQL.
export async function sql<Row>(statement: Prisma.Sql, prisma: PrismaClient = db()): Promise<SqlResult<Row>> {
  const own = ownPool(prisma);
  return run<Row>(own.pool, own.prepare, statement);
}

/** Runs `attempt` (a whole transaction that can run again) anew when PostgreSQL ends it in a deadlock. */
export async function retryingDeadlock<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {
  for (let left = tries - 1; ; left--) {
    try {
      return await attempt();
    } catch (error) {
      if (left === 0 || (error as { code?: unknown } | null)?.code !== "40P01") throw error;
    }
  }
}

// Nothing else may be awaited on the pool meanwhile: that would deadlock a pool of 1.
export async function transaction<T>(work: (tx: Sql) => Promise<T>, prisma: PrismaClient = db()): Promise<T> {
  const own = ownPool(prisma);
  const client = await own.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work((statement) => run(client, own.prepare, statement));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollback: Error) => {
      broken = rollback;
    });
    throw error;
  } finally {
    // A connection that could not roll back is destroyed, not handed to the next request.
    client.release(broken);
  }
}
