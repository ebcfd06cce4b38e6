import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createSmtpServer } from "../../inbox/smtp";
import { seedSpreadConnections } from "../../lib/connections/store/seed";
import { localSecrets } from "../lib/env-file.mjs";
import { benchDatabase } from "./stack";

// The daily reminder job over 100,000 connections (33,334 users, 3 each) with end dates spread evenly
// over the 90 days after the 14-day reminder window: today's run finds nothing due (the cost of the
// scan itself), tomorrow's reminds the ~1/90 that crossed 14 days overnight. Mail goes to a local SMTP
// sink that discards it.

export type ReminderRun = {
  ms: number;
  peakRss: number;
  summary: { scanned: number; emailsSent: number; emailsFailed: number; remindersSent: number };
};

const CONNECTIONS = 100_000;
const root = path.resolve(import.meta.dirname, "..", "..");

async function startSink(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createSmtpServer(null);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("SMTP sink has no port");
  return { port: address.port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const users = Math.ceil(CONNECTIONS / 3);
    await client.query(
      `insert into "User" (id, email, name, "updatedAt")
       select 'ru' || g, 'ru' || g || '@bench.example', 'Reminder User ' || g, now() from generate_series(1, $1) g`,
      [users],
    );
    await seedSpreadConnections(
      { count: CONNECTIONS, userPrefix: "ru", idPrefix: "rc" },
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

function runOnce(env: Record<string, string>): Promise<ReminderRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
        "--conditions=react-server",
        "scripts/bench/reminder-run.ts",
      ],
      { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`reminder run exited ${code}`));
      else resolve(JSON.parse(line) as ReminderRun);
    });
  });
}

export async function benchReminders(): Promise<{ first: ReminderRun; nextDay: ReminderRun }> {
  const database = await benchDatabase("reconsent_bench_jobs");
  const sink = await startSink();
  try {
    await seed(database.url);
    const clockFile = path.join(tmpdir(), `reconsent-bench-clock-${process.pid}.json`);
    writeFileSync(clockFile, JSON.stringify({ offsetMs: 0 }));
    const env = {
      ...localSecrets("bench-jobs"),
      RECONSENT_MODE: "test",
      NODE_ENV: "production",
      APP_URL: "http://127.0.0.1:3200",
      DATABASE_URL: database.url,
      TRUELAYER_TARGET: "simulator",
      // Never called by the job; required by the environment check.
      TRUELAYER_AUTH_URL: "http://127.0.0.1:3201",
      TRUELAYER_API_URL: "http://127.0.0.1:3201",
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
      CLOCK_FILE: clockFile,
    };
    const first = await runOnce(env);
    writeFileSync(clockFile, JSON.stringify({ offsetMs: 24 * 60 * 60 * 1000 }));
    const nextDay = await runOnce(env);
    return { first, nextDay };
  } finally {
    await sink.close();
    await database.drop();
  }
}
