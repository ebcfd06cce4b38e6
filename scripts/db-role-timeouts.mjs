#!/usr/bin/env node
// `npm run db:role-timeouts [-- --role <name>] [--print]`: behind a pooler (pgbouncer=true) the app sends no
// statement or idle-in-transaction timeouts, because poolers refuse start-up options (decision 015). This sets
// them on the app's role, in its database, so every pooled connection gets them. Run it once per database,
// after the first migration, with DIRECT_URL (or DATABASE_URL) able to ALTER ROLE. Plain Node: no dev tools.
import pg from "pg";

export const ROLE_TIMEOUTS = { statement_timeout: "10s", idle_in_transaction_session_timeout: "10s" };

const quote = (name) => `"${name.replaceAll('"', '""')}"`;

/** The statements for `role` in `database`, from the app's own DATABASE_URL unless named. */
export function roleTimeoutStatements({ databaseUrl, role }) {
  const url = new URL(databaseUrl);
  const who = role || decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!who || !database)
    throw new Error("DATABASE_URL names no user or database: pass --role, or fix the URL.");
  return Object.entries(ROLE_TIMEOUTS).map(
    ([setting, value]) =>
      `ALTER ROLE ${quote(who)} IN DATABASE ${quote(database)} SET ${setting} = '${value}'`,
  );
}

async function main(argv) {
  const roleAt = argv.indexOf("--role");
  const role = roleAt >= 0 ? argv[roleAt + 1] : undefined;
  const databaseUrl = process.env.DATABASE_URL;
  const adminUrl = process.env.DIRECT_URL || databaseUrl;
  if (!databaseUrl || !adminUrl) throw new Error("DATABASE_URL is not set.");
  const statements = roleTimeoutStatements({ databaseUrl, role });
  if (argv.includes("--print")) {
    process.stdout.write(`${statements.join(";\n")};\n`);
    return;
  }
  const direct = new URL(adminUrl);
  for (const key of ["schema", "connection_limit", "pgbouncer"]) direct.searchParams.delete(key);
  const client = new pg.Client({ connectionString: direct.toString(), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
  const settings = Object.entries(ROLE_TIMEOUTS)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  process.stdout.write(`Set ${settings} for the app's role in its database. New connections get them.\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(
      `db:role-timeouts failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
