// Bench section: the audit export (npm run audit-export) over 1,000 and 100,000 reconfirmations, each in a
// child process whose peak RSS is read at the end, with the V8 heap capped at 96 MB (the 100,000-row output
// alone is about 170 MB, so a run that held it would fail). Constant memory means the two peaks are nearly equal.
// Run alone: `tsx --conditions=react-server scripts/bench/audit-export.ts` (prints the section).
import { spawn } from "node:child_process";
import path from "node:path";
import { Writable } from "node:stream";
import pg from "pg";
import { localSecrets } from "../lib/env-file.mjs";
import { benchDatabase } from "./stack";

const root = path.resolve(import.meta.dirname, "..", "..");
type Run = { rows: number; ms: number; bytes: number; peakRss: number };
const HEAP_MB = 96;

// The first 1,000 records fall on the first day, so a one-day range exports only them.
async function seed(url: string, count: number): Promise<void> {
  const { templateText, WORDING_TEMPLATE } = await import("../../lib/consent/wording");
  const { seedBulkConsentRecords } = await import("../../lib/connections/store/seed-consent");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into "User" (id, email, name, role, "updatedAt") values ('op', 'op@bench.example', 'Op', 'OPERATOR', now())`,
    );
    await client.query(
      `insert into "User" (id, email, name, "updatedAt")
       select 'au' || g, 'au' || g || '@bench.example', 'Audit User ' || g, now() from generate_series(1, $1) g`,
      [count],
    );
    await seedBulkConsentRecords(
      { count, userPrefix: "au", template: templateText(WORDING_TEMPLATE), firstDay: "2026-01-01" },
      async (statement) => {
        const result = await client.query(statement.text, statement.values);
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      },
    );
    await client.query("analyze");
  } finally {
    await client.end();
  }
}

function runOnce(env: Record<string, string>, to: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
        "--conditions=react-server",
        import.meta.filename,
        "--child",
        to,
      ],
      {
        cwd: root,
        // NODE_OPTIONS, so the cap reaches the process tsx starts to run the code.
        env: { ...process.env, ...env, NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`audit export run exited ${code}`));
      else resolve(JSON.parse(line) as Run);
    });
  });
}

/** The child: the command's own code, writing to a sink that counts bytes and newlines. */
async function child(to: string): Promise<void> {
  const { runAuditExport } = await import("../../lib/consent/audit-command");
  const { db } = await import("../../lib/db");
  let bytes = 0;
  let lines = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines += 1;
      done();
    },
  });
  const started = performance.now();
  const code = await runAuditExport(
    ["--operator", "op@bench.example", "--from", "2026-01-01", "--to", to, "--format", "jsonl"],
    sink,
    process.stderr,
  );
  const ms = performance.now() - started;
  await db().$disconnect();
  if (code !== 0) process.exit(code);
  process.stdout.write(
    `${JSON.stringify({ rows: lines - 1, ms, bytes, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
}

export async function auditExportSection(count = 100_000): Promise<string> {
  const database = await benchDatabase("reconsent_bench_audit");
  try {
    await seed(database.url, count);
    const env = {
      ...localSecrets("bench-audit"),
      RECONSENT_MODE: "test",
      NODE_ENV: "production",
      APP_URL: "http://127.0.0.1:3200",
      DATABASE_URL: database.url,
      TRUELAYER_TARGET: "simulator",
      TRUELAYER_AUTH_URL: "http://127.0.0.1:3201",
      TRUELAYER_API_URL: "http://127.0.0.1:3201",
      SMTP_URL: "smtp://127.0.0.1:1",
      EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
    };
    const small = await runOnce(env, "2026-01-01");
    const large = await runOnce(env, "2026-12-31");
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const row = (r: Run) =>
      `| ${r.rows.toLocaleString("en-GB")} | ${(r.ms / 1000).toFixed(1)} s | ${mb(r.bytes)} | ${mb(r.peakRss)} |`;
    return [
      `## Audit export (npm run audit-export, JSON Lines, V8 heap capped at ${HEAP_MB} MB)`,
      "",
      "| rows | time | output | peak RSS |",
      "|---:|---:|---:|---:|",
      row(small),
      row(large),
      "",
      `Peak RSS ratio, ${large.rows.toLocaleString("en-GB")} to ${small.rows.toLocaleString("en-GB")} rows: ${(large.peakRss / small.peakRss).toFixed(2)} (constant memory: close to 1).`,
      "",
    ].join("\n");
  } finally {
    await database.drop();
  }
}

if (process.argv[2] === "--child") await child(process.argv[3] ?? "2026-01-01");
else if (import.meta.filename === process.argv[1]) process.stdout.write(`${await auditExportSection()}\n`);
