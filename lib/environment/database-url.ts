// Prisma's own query parameters on a PostgreSQL URL, which node-postgres does not know.
export type DatabaseUrlOptions = {
  schema?: string;
  /** `pgbouncer=true`: a pooler in transaction mode (or the embedded database) is in front. */
  pooled: boolean;
  connectionLimit?: number;
  connectionString: string;
};

export const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function databaseUrlOptions(databaseUrl: string): DatabaseUrlOptions {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") || undefined;
  const limit = url.searchParams.get("connection_limit");
  const pooled = url.searchParams.get("pgbouncer") === "true";
  for (const key of ["schema", "connection_limit", "pgbouncer"]) url.searchParams.delete(key);
  return {
    schema,
    pooled,
    connectionLimit: limit === null ? undefined : Number(limit),
    connectionString: url.toString(),
  };
}
