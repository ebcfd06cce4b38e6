import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchReminders, type ReminderScale } from "./reminders";
import { saveReport } from "./report";
import { BENCH_PORTS } from "./stack";

// `npm run bench -- scale` (through scripts/bench.mjs, which builds first and stops everything after 25
// minutes): the reminder job over SCALE seeded connections (default 1,000,000) beside the same job over a
// tenth of them, and the renewal spike (scripts/load-reconfirm.ts --servers) on one and on two production
// servers. Writes the scale section of docs/benchmarks.md. SCALE=10000 and SPIKE_USERS=200 make a quick
// run for development.

const root = path.resolve(import.meta.dirname, "..", "..");
const SCALE = Number(process.env.SCALE ?? 1_000_000);
const SPIKE_USERS = Number(process.env.SPIKE_USERS ?? 2_000);
const SPIKE_LIMIT_S = 300;
const TIME_LIMIT_S = 25 * 60;
const say = (line: string) => process.stdout.write(`[bench scale] ${line}\n`);

type Spike = Record<string, number | string | boolean | string[]>;

function spike(servers: number): Promise<Spike> {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "reconsent-spike-")), "result.json");
  const args = [
    path.join(root, "node_modules/tsx/dist/cli.mjs"),
    "--conditions=react-server",
    "scripts/load-reconfirm.ts",
    ...["--users", String(SPIKE_USERS), "--servers", String(servers), "--pool", "10"],
    ...["--port", String(BENCH_PORTS.spikeApps[0]), "--fault-429", "5", "--fault-500", "1"],
    ...["--seconds", "600", "--out", out],
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", () => {
      try {
        resolve(JSON.parse(readFileSync(out, "utf8")) as Spike);
      } catch {
        resolve({ passed: false, error: "the load script wrote no result" });
      }
    });
  });
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const n = (v: number) => v.toLocaleString("en-GB");
const mark = (ok: boolean) => (ok ? "✅" : "❌");

function render(base: ReminderScale, big: ReminderScale, spikes: Spike[], seconds: number): string {
  const dueRatio = big.nextDay.summary.scanned / Math.max(1, base.nextDay.summary.scanned);
  const peak = (r: ReminderScale) => Math.max(r.first.peakRss, r.nextDay.peakRss);
  const one = big.nextDay.ms;
  const most = big.copies.at(-1);
  const copiesOk = big.copies.every(
    (c) => c.duplicateRecipients === 0 && c.unsent === 0 && c.emails === c.reminders,
  );
  const checks = [
    [
      big.first.ms <= 2 * base.first.ms,
      `nothing-due run over ${n(big.connections)} within 2× the same run over ${n(base.connections)} (${s(big.first.ms)} s against ${s(base.first.ms)} s: ${(big.first.ms / base.first.ms).toFixed(2)}×)`,
    ],
    [
      big.nextDay.ms / base.nextDay.ms <= dueRatio,
      `next-day run grows at most linearly with the number due (${n(big.nextDay.summary.scanned)} due against ${n(base.nextDay.summary.scanned)}: ${dueRatio.toFixed(1)}× as many, ${(big.nextDay.ms / base.nextDay.ms).toFixed(1)}× the time)`,
    ],
    [
      peak(big) <= 1.2 * peak(base),
      `peak memory within 1.2× of the ${n(base.connections)} run (${mb(peak(big))} MB against ${mb(peak(base))} MB)`,
    ],
    [
      copiesOk,
      `${big.copies.map((c) => c.copies).join(" and ")} copies started at once send each reminder exactly once (${big.copies.map((c) => `${c.copies}: ${n(c.emails)} mails, ${c.duplicateRecipients} recipients twice, ${c.unsent} reminders not sent once`).join("; ")})`,
    ],
    [
      !!most && most.ms < one,
      `total time drops with more copies (1: ${s(one)} s; ${big.copies.map((c) => `${c.copies}: ${s(c.ms)} s`).join("; ")})`,
    ],
    ...spikes.map(
      (r) =>
        [
          r.passed === true && Number(r.wallMs) <= SPIKE_LIMIT_S * 1000,
          `renewal spike on ${r.servers} server(s): ${n(Number(r.users))} users within ${SPIKE_LIMIT_S / 60} minutes (${s(Number(r.wallMs))} s), ${r.lostTokens} tokens lost, ${r.extendedTwice} extended twice, ${r.untruthfulPages} result pages untrue`,
        ] as const,
    ),
    [
      seconds <= TIME_LIMIT_S,
      `the scale run within ${TIME_LIMIT_S / 60} minutes, build included (${seconds.toFixed(0)} s)`,
    ],
  ] as const;
  const reminderRow = (r: ReminderScale, name: string, run: ReminderScale["first"]) =>
    `| ${n(r.connections)} | ${name} | ${s(run.ms)} | ${mb(run.peakRss)} | ${n(run.summary.scanned)} | ${n(run.summary.emailsSent)} | ${n(run.summary.remindersSent)} |`;
  const spikeRow = (r: Spike) =>
    `| ${r.servers} | ${n(Number(r.users))} (+${r.duplicateSubmissions}) | ${r.concurrency} | ${r.extendAttempts} | ${r.answered429} / ${r.answered500} | ${r.extendedAtBank} | ${r.p50Ms} | ${r.p99Ms} | ${s(Number(r.wallMs))} | ${r.extendedTwice} | ${r.lostTokens} | ${r.untruthfulPages} | ${mark(r.passed === true)} |`;
  return [
    "## Scale (`npm run bench -- scale`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)}, ${n(big.connections)} and ${n(base.connections)} connections, a spike of ${n(SPIKE_USERS)} users; the whole scale run took ${seconds.toFixed(0)} s, build included.`,
    "",
    ...checks.map(([ok, line]) => `- ${mark(ok)} ${line}`),
    "",
    "### Reminder job",
    "",
    `Connections 3 per user, end dates spread evenly over the 90 days after the 14-day window (seeded in bulk: ${s(big.seedMs)} s for ${n(big.connections)}). Today's run finds nothing due; the next day's run reminds the ~1/90 that crossed 14 days overnight. Mail goes to a local SMTP sink that discards it; in the ${n(big.connections)} next-day run some mail was in flight at the sink for ${s(big.mailInFlightMs)} s of ${s(big.nextDay.ms)} s (${((100 * big.mailInFlightMs) / big.nextDay.ms).toFixed(0)}%: SMTP round trips through the job's pooled transport, 10 connections). Peak memory is the job process's maximum resident set, Node and tsx included.`,
    "",
    "| connections | run | seconds | peak MB | scanned | emails | reminders |",
    "|---:|---|---:|---:|---:|---:|---:|",
    reminderRow(base, "today (nothing due)", base.first),
    reminderRow(base, "next day", base.nextDay),
    reminderRow(big, "today (nothing due)", big.first),
    reminderRow(big, "next day", big.nextDay),
    "",
    `The same next-day run over ${n(big.connections)}, from scratch, by copies of the job started at once (each a separate process and database pool; claims are rows under a unique key, inserted with ON CONFLICT DO NOTHING, so a copy only mails what its own statement inserted):`,
    "",
    "| copies | slowest copy s | wall s (start-up included) | mails | reminders | recipients mailed twice |",
    "|---:|---:|---:|---:|---:|---:|",
    `| 1 | ${s(big.nextDay.ms)} | | ${n(big.nextDay.summary.emailsSent)} | ${n(big.nextDay.summary.remindersSent)} | |`,
    ...big.copies.map(
      (c) =>
        `| ${c.copies} | ${s(c.ms)} | ${s(c.wallMs)} | ${n(c.emails)} | ${n(c.reminders)} | ${c.duplicateRecipients} |`,
    ),
    "",
    "### Renewal spike",
    "",
    `\`scripts/load-reconfirm.ts --servers N\`: every user's consent ends in 5 days; each one opens /reconfirm, posts its no-JavaScript form and reads the result page, ${spikes[0]?.concurrency ?? 40} users at a time, spread over the servers; one in ten posts twice at once (a double click), the second post to the other server. The simulator answers 5% of extends with 429 and 1% with 500 (queued ahead of each hundred users). Checked against the simulator: every stored refresh token still refreshes (none lost), every extension the simulator made is recorded exactly once (none twice), and each result page says "sharing continues until <the simulator's new end date>" exactly when the simulator extended, otherwise "not renewed … Nothing has changed". Latency is the form post (the action and its extend call, until the redirect).`,
    "",
    "| servers | users (+double clicks) | at a time | extends | 429 / 500 | extended | p50 ms | p99 ms | wall s | extended twice | tokens lost | untrue pages | |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...spikes.map(spikeRow),
    "",
    "### Why several instances are safe, and what changes at 10×",
    "",
    "- Nothing lives in a server's memory between requests: sessions, rate-limit counts, bank trips, code claims and leases are rows in PostgreSQL, so any instance can serve any request (as Vercel runs it: stateless functions over one managed PostgreSQL).",
    "- A renewal claims its connection with a lease (a compare-and-set on the connection's version) before calling TrueLayer and stores the answer with a second compare-and-set, so two instances handling the same double click call TrueLayer once and the second reports the first's result.",
    "- The reminder job's claims are rows under a unique key, committed before any mail is sent; copies on several machines split the work without a coordinator and never mail a reminder twice.",
    "- At 10× (20,000 users in a spike, 10 million connections): each instance's pool (`connection_limit`) times the instances must stay under PostgreSQL's `max_connections`, so put a pooler in transaction mode in front (PgBouncer, or the provider's; add `pgbouncer=true`, decision 014); the reminder job's batch of 200 and its 10 SMTP connections per copy make ~110,000 mails a day a matter of running more copies (the claims allow it) or a provider API with higher throughput rather than a bigger batch; and the extend calls meet TrueLayer's own rate limits, which the 429 handling above already reports truthfully.",
  ].join("\n");
}

async function main() {
  const started = Number(process.env.BENCH_STARTED_AT ?? Date.now());
  say(`reminder job over ${n(SCALE / 10)} connections`);
  const base = await benchReminders(Math.round(SCALE / 10), [], say);
  say(`reminder job over ${n(SCALE)} connections`);
  const big = await benchReminders(SCALE, [2, 4], say);
  const spikes: Spike[] = [];
  for (const servers of [1, 2]) {
    say(`renewal spike: ${n(SPIKE_USERS)} users on ${servers} server(s)`);
    spikes.push(await spike(servers));
  }
  const section = render(base, big, spikes, (Date.now() - started) / 1000);
  saveReport(path.join(root, "docs", "benchmarks.md"), "", section);
  process.stdout.write(`${section}\n`);
}

await main();
