import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { seedSpreadConnections } from "../../kit";
import { localSecrets } from "../lib/env-file.mjs";
import { benchDatabase } from "./stack";

// The daily reminder job (lib/reminders/send-reminders.ts) over `connections` seeded connections (3 per user), end
// dates spread evenly over the 90 days after the 14-day reminder window: today's run finds nothing due
// (the cost of looking), tomorrow's reminds the ~1/90 that crossed 14 days overnight, then the same
// next-day run again by several copies of the job started at once. Mail goes to a local SMTP sink that
// discards it but counts each recipient and the time some mail was in flight.

export type ReminderRun = {
  ms: number;
  peakRss: number;
  summary: { scanned: number; emailsSent: number; emailsFailed: number; remindersSent: number };
};
export type CopiesRun = {
  copies: number;
  /** The slowest copy's own run (they start together; process start-up left out, as for one copy). */
  ms: number;
  /** From the first start to the last exit, start-up included. */
  wallMs: number;
  emails: number;
  reminders: number;
  /** Recipients sent more than one mail, and reminder rows not SENT exactly once. */
  duplicateRecipients: number;
  unsent: number;
};
export type ReminderScale = {
  connections: number;
  users: number;
  seedMs: number;
  first: ReminderRun;
  nextDay: ReminderRun;
  /** The share of the next day's run during which a mail was in flight at the sink. */
  mailInFlightMs: number;
  copies: CopiesRun[];
};

const root = path.resolve(import.meta.dirname, "..", "..");
const DAY_MS = 24 * 60 * 60 * 1000;

function startSink() {
  const recipients = new Map<string, number>();
  let busy = 0;
  let busySince = 0;
  let inFlightMs = 0;
  const done = () => {
    busy -= 1;
    if (busy === 0) inFlightMs += performance.now() - busySince;
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (busy === 0) busySince = performance.now();
      busy += 1;
      callback();
    },
    onData(stream, session, callback) {
      stream.on("end", () => {
        for (const r of session.envelope.rcptTo)
          recipients.set(r.address, (recipients.get(r.address) ?? 0) + 1);
        done();
        callback();
      });
      stream.resume();
    },
  });
  return {
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.server.address();
      if (!address || typeof address === "string") throw new Error("SMTP sink has no port");
      return address.port;
    },
    reset() {
      recipients.clear();
      inFlightMs = 0;
    },
    counts: () => ({ recipients: new Map(recipients), inFlightMs }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function seed(client: pg.Client, connections: number): Promise<void> {
  await client.query(
    `insert into "User" (id, email, name, "updatedAt")
     select 'ru' || g, 'ru' || g || '@bench.example', 'Reminder User ' || g, now() from generate_series(1, $1) g`,
    [Math.ceil(connections / 3)],
  );
  await seedSpreadConnections({ count: connections, userPrefix: "ru", idPrefix: "rc" }, async (statement) => {
    const result = await client.query(statement.text, statement.values);
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  });
  await client.query("analyze");
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
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`reminder run exited ${code}`));
      else resolve(JSON.parse(line) as ReminderRun);
    });
  });
}

export async function benchReminders(
  connections: number,
  copies: number[],
  say: (line: string) => void,
): Promise<ReminderScale> {
  const name = `reconsent_bench_jobs_${connections}`;
  const database = await benchDatabase(name);
  const sink = startSink();
  const port = await sink.listen();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const seedStart = performance.now();
    await seed(client, connections);
    const seedMs = performance.now() - seedStart;
    say(
      `reminders: seeded ${connections.toLocaleString("en-GB")} connections in ${(seedMs / 1000).toFixed(0)} s`,
    );
    const clockFile = path.join(tmpdir(), `reconsent-bench-clock-${process.pid}-${connections}.json`);
    writeFileSync(clockFile, JSON.stringify({ offsetMs: 0 }));
    const env = {
      ...localSecrets("bench-jobs"),
      RECONSENT_MODE: "test",
      NODE_ENV: "production",
      APP_URL: "http://127.0.0.1:4410",
      DATABASE_URL: database.url,
      TRUELAYER_TARGET: "simulator",
      // Never called by the job; required by the environment check.
      TRUELAYER_AUTH_URL: "http://127.0.0.1:4411",
      TRUELAYER_API_URL: "http://127.0.0.1:4411",
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
      CLOCK_FILE: clockFile,
    };
    const first = await runOnce(env);
    writeFileSync(clockFile, JSON.stringify({ offsetMs: DAY_MS }));
    sink.reset();
    const nextDay = await runOnce(env);
    const mailInFlightMs = sink.counts().inFlightMs;
    say(
      `reminders: nothing due ${(first.ms / 1000).toFixed(1)} s; next day ${(nextDay.ms / 1000).toFixed(1)} s`,
    );
    const copyRuns: CopiesRun[] = [];
    for (const n of copies) {
      // The same next day again, from scratch: the reminders (and their funnel events) of the last run removed.
      await client.query(`delete from "Reminder"; delete from "FunnelEvent"`);
      sink.reset();
      const started = performance.now();
      const runs = await Promise.all(Array.from({ length: n }, () => runOnce(env)));
      const wallMs = performance.now() - started;
      const ms = Math.max(...runs.map((r) => r.ms));
      const { recipients } = sink.counts();
      const { rows } = await client.query<{ sent: number; other: number }>(
        `select count(*) filter (where status = 'SENT')::int as sent, count(*) filter (where status <> 'SENT')::int as other from "Reminder"`,
      );
      copyRuns.push({
        copies: n,
        ms,
        wallMs,
        emails: [...recipients.values()].reduce((a, b) => a + b, 0),
        reminders: runs.reduce((a, r) => a + r.summary.remindersSent, 0),
        duplicateRecipients: [...recipients.values()].filter((v) => v > 1).length,
        // Judged on this run's own rows: the real clock moves on between runs, so a later run finds a few more due.
        unsent:
          (rows[0]?.other ?? 0) +
          Math.abs((rows[0]?.sent ?? 0) - runs.reduce((a, r) => a + r.summary.remindersSent, 0)),
      });
      say(`reminders: ${n} copies at once ${(ms / 1000).toFixed(1)} s`);
    }
    return {
      connections,
      users: Math.ceil(connections / 3),
      seedMs,
      first,
      nextDay,
      mailInFlightMs,
      copies: copyRuns,
    };
  } finally {
    await client.end().catch(() => {});
    await sink.close();
    await database.drop();
  }
}
