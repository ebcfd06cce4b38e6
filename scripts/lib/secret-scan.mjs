// Looks for TrueLayer tokens where they must never be: server logs, rendered pages, the client bundle
// and the database's plain columns. The simulator marks every token it issues: refresh tokens and codes
// by a prefix (sbx_rt_, sbx_code_), access tokens (JWTs, sandbox/secrets.ts) by the claim their payload
// opens with, so any such string found is a leak of a real issued value.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";

// Twelve bytes encode to exactly sixteen characters, so every simulated JWT's payload starts with these.
const JWT_PAYLOAD_START = Buffer.from('{"sbx":"at",').toString("base64url");
export const TOKEN_PATTERN = new RegExp(
  `sbx_(?:at|rt|code)_[A-Za-z0-9_-]{16,}|${JWT_PAYLOAD_START}[A-Za-z0-9_-]{16,}`,
  "g",
);
/** One-time secrets in a URL a log line records: a sign-in token, a bank's code, a state. */
export const URL_SECRET_PATTERN = /[?&](token|code|exchange_code|state)=([^&\s"'<>]{16,})/g;

/**
 * Findings name where and which kind of token, never the token itself. `literals` are exact values
 * known to the run (the local tooling's per-run tokens), looked for as they are.
 */
export function scanText(text, where, { urls = false, literals = {} } = {}) {
  const findings = [];
  for (const [kind, value] of Object.entries(literals))
    if (value && value.length >= 16 && text.includes(value)) findings.push({ where, kind });
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const kind = match[0].startsWith("sbx_") ? match[0].slice(0, match[0].indexOf("_", 4) + 1) : "sbx_at_jwt";
    findings.push({ where, kind });
  }
  if (urls)
    for (const match of text.matchAll(URL_SECRET_PATTERN)) findings.push({ where, kind: `${match[1]}=` });
  return findings;
}

/** `urls`: also one-time secrets in URLs (for logs; a page may rightly hold its own form's token). */
export function scanTree(dir, options = {}) {
  if (!existsSync(dir)) return { files: 0, findings: [] };
  let files = 0;
  const findings = [];
  const walk = (current) => {
    for (const entry of readdirSync(current)) {
      const full = path.join(current, entry);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.size < 20 * 1024 * 1024) {
        files += 1;
        findings.push(...scanText(readFileSync(full, "latin1"), full, options));
      }
    }
  };
  walk(dir);
  return { files, findings };
}

/** Every text-like column of every table in `schema`, row by row. */
export async function scanDatabase(databaseUrl, schema = "public") {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: columns } = await client.query(
      `select table_name, column_name from information_schema.columns
       where table_schema = $1 and data_type in ('text', 'character varying', 'ARRAY', 'jsonb', 'json')`,
      [schema],
    );
    const findings = [];
    let values = 0;
    for (const { table_name: table, column_name: column } of columns) {
      const { rows } = await client.query(
        `select "${column}"::text as v from "${schema}"."${table}" where "${column}" is not null`,
      );
      for (const row of rows) {
        values += 1;
        findings.push(...scanText(row.v, `${table}.${column}`));
      }
    }
    const { rows: sealed } = await client.query(
      `select count(*)::int as n from "${schema}"."Connection" where "refreshTokenSealed" is not null`,
    );
    return { values, sealedConnections: sealed[0]?.n ?? 0, findings };
  } finally {
    await client.end();
  }
}
