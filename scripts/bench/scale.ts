import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RUN_BUDGET_MS } from "@/lib/maintenance/scheduled";
import { benchDay, CATCH_UP_QUARTERS, type DayScale, type LeftDue } from "./day";
import { BENCH_PORTS } from "./stack";

// `npm run bench -- scale` (through scripts/bench.mjs, which builds first and stops everything after 25
// minutes): a day's work over SCALE seeded connections (default 1,000,000; scripts/bench/day.ts), and the
// renewal spike (scripts/load-reconfirm.ts --servers) on one and on two production servers. Writes
// docs/benchmarks-scale.md. SCALE=100000 and SPIKE_USERS=200 (0: no spike) make a quicker run for development.

const root = path.resolve(import.meta.dirname, "..", "..");
const SCALE = Number(process.env.SCALE ?? 1_000_000);
const SPIKE_USERS = Number(process.env.SPIKE_USERS ?? 2_000);
const SKIP_SPIKE = process.env.SPIKE_USERS === "0";
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
const n = (v: number) => Math.round(v).toLocaleString("en-GB");
const mark = (ok: boolean) => (ok ? "✅" : "❌");
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// The plan and schedule the design names (docs/decisions/061-a-days-work.md): Vercel Pro, every 15 minutes, each run
// with a 240 s budget under the route's maxDuration of 300 s.
const RUNS_A_DAY = 96;
const BUDGET_S = RUN_BUDGET_MS / 1000;
const LATE_LIMIT_MIN = 120;

function costs(d: DayScale) {
  const runs = d.day.runs;
  const idleParts = d.idle.runs[0]?.parts ?? {};
  // Each part's time over the day less what the same part costs when nothing is due (its fixed cost per run).
  const part = (name: string) =>
    Math.max(0, sum(runs.map((r) => r.parts[name] ?? 0)) - runs.length * (idleParts[name] ?? 0));
  const reminders = sum(runs.map((r) => r.reminders));
  const refreshed = sum(runs.map((r) => r.refreshed));
  const read = sum(runs.map((r) => r.read));
  const idleMs = d.idle.runs[0]?.ms ?? 0;
  return {
    reminders,
    refreshed,
    read,
    perReminder: part("reminders") / Math.max(1, reminders),
    perRefresh: part("keepAlive") / Math.max(1, refreshed),
    perRead: part("balances") / Math.max(1, read),
    idleMs,
  };
}

function render(d: DayScale, spikes: Spike[], seconds: number): string {
  const c = costs(d);
  const runs = d.day.runs;
  const slowest = Math.max(...runs.map((r) => r.ms));
  const allFinished = runs.every((r) => r.finished);
  const idlePeak = d.idle.peakRss;
  const copyPeak = Math.max(...d.copies.processes.map((p) => p.peakRss));
  const left = (l: LeftDue) =>
    `${n(l.reminders)} reminders, ${n(l.keepAlive)} keep-alive refreshes, ${n(l.reads)} reads`;
  const none = (l: LeftDue) => l.reminders === 0 && l.keepAlive === 0 && l.reads === 0;
  const copyRuns = d.copies.processes.flatMap((p) => p.runs);
  const tl = d.day.upstream;
  const accountsPerRead = tl.balanceCalls / Math.max(1, c.read);
  // 10,000,000 from measured per-item costs: each quarter's items ×10, each part's own cost per item as measured,
  // and the nothing-due run's fixed cost ×10 (as if it grew with the table, which the keysets and indexes avoid).
  const perRun10 = (items: number, per: number) => (10 * items * per) / RUNS_A_DAY;
  const run10 =
    c.idleMs * 10 +
    perRun10(c.reminders, c.perReminder) +
    perRun10(c.refreshed, c.perRefresh) +
    perRun10(c.read, c.perRead);
  const checks = [
    [
      allFinished && slowest <= RUN_BUDGET_MS,
      `the day's work at ${n(d.connections)} connections is done by one day's schedule on Vercel Pro (${RUNS_A_DAY} runs, every 15 minutes): every run finished its due work within its ${BUDGET_S} s budget (maxDuration 300 s); slowest ${s(slowest)} s, ${runs.filter((r) => !r.finished).length} stopped at the budget`,
    ],
    [none(d.day.leftDue), `nothing due was left undone at the day's last run (${left(d.day.leftDue)})`],
    [
      d.day.latestReminderMinutes <= LATE_LIMIT_MIN,
      `no reminder sent more than ${LATE_LIMIT_MIN / 60} hours after it became due (latest: ${d.day.latestReminderMinutes.toFixed(1)} minutes)`,
    ],
    [
      d.day.peakRss <= 1.2 * idlePeak && copyPeak <= 1.2 * idlePeak,
      `peak memory within 1.2× of the nothing-due run's (${mb(idlePeak)} MB): the heaviest of the day's 96 invocations ${mb(d.day.peakRss)} MB (${(d.day.peakRss / idlePeak).toFixed(2)}×), a catching-up copy ${mb(copyPeak)} MB (${(copyPeak / idlePeak).toFixed(2)}×)`,
    ],
    [
      d.day.mailedTwice === 0 && tl.refreshedTwice === 0 && tl.readTwice === 0,
      `over the day, nothing done twice: ${d.day.mailedTwice} recipients mailed twice, ${tl.refreshedTwice} connections refreshed twice, ${tl.readTwice} accounts read twice`,
    ],
    [
      d.copies.mailedTwice === 0 &&
        d.copies.upstream.refreshedTwice === 0 &&
        d.copies.upstream.readTwice === 0 &&
        none(d.copies.leftDue),
      `4 copies started at once on the next ${CATCH_UP_QUARTERS / 4} hours' work do each item exactly once: ${d.copies.mailedTwice} recipients mailed twice, ${d.copies.upstream.refreshedTwice} connections refreshed twice, ${d.copies.upstream.readTwice} accounts read twice; left undone: ${left(d.copies.leftDue)}`,
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
  const spikeRow = (r: Spike) =>
    `| ${r.servers} | ${n(Number(r.users))} (+${r.duplicateSubmissions}) | ${r.concurrency} | ${r.extendAttempts} | ${r.answered429} / ${r.answered500} | ${r.extendedAtBank} | ${r.p50Ms} | ${r.p99Ms} | ${s(Number(r.wallMs))} | ${r.extendedTwice} | ${r.lostTokens} | ${r.untruthfulPages} | ${mark(r.passed === true)} |`;
  const median = [...runs.map((r) => r.ms)].sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? 0;
  const callsPerRead = 1 + accountsPerRead;
  const day = (x: number) => [n(x), n(10 * x)];
  const [rem1, rem10] = day(c.reminders);
  const [ref1, ref10] = day(c.refreshed);
  const [read1, read10] = day(c.read);
  const [calls1, calls10] = day(tl.refreshes + tl.balanceCalls);
  const fourADay = 4 * d.connections * callsPerRead;
  return [
    "# Scale (`npm run bench -- scale`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- scale\`, written by it (no hand edits): a day's work at ${n(d.connections)} connections and a spike of ${n(SPIKE_USERS)} users; the whole scale run took ${seconds.toFixed(0)} s, build included. The design is docs/decisions/061-a-days-work.md.`,
    "",
    ...checks.map(([ok, line]) => `- ${mark(ok)} ${line}`),
    "",
    "## A day's work",
    "",
    `${n(d.connections)} connections, 3 per user, end dates spread evenly over the 90 days after the 14-day reminder window; one user in ${Math.round(1 / d.seenShare)} was seen (a session used) in the last week, and their connections (two accounts each) were read within the last day; every other connection's refresh token was last used within 25 days, spread evenly (seeded in ${s(d.seedMs)} s). So nothing is due at first, and each quarter of an hour brings 1/96 of a day's work. The scheduled job (\`runScheduledJob\`, what the cron route calls) runs ${RUNS_A_DAY} times, 15 minutes apart on the app's clock, each with the route's ${BUDGET_S} s budget, each invocation its own process as production runs it (\`node dist/ops.mjs scheduled --once\`, the bundled operator commands; a cold start, its time from process start to exit). TrueLayer is a stub answering each refresh and balance call after ${d.upstreamMs} ms; mail goes to a local SMTP sink. Peak memory is each invocation's maximum resident set, Node included.`,
    "",
    "| | seconds | peak MB | reminders | keep-alive refreshes | reads | TrueLayer calls |",
    "|---|---:|---:|---:|---:|---:|---:|",
    `| nothing-due run | ${s(c.idleMs)} | ${mb(idlePeak)} | 0 | 0 | 0 | 0 |`,
    `| the day: ${RUNS_A_DAY} runs (median / slowest) | ${s(median)} / ${s(slowest)} | ${mb(d.day.peakRss)} | ${n(c.reminders)} | ${n(c.refreshed)} | ${n(c.read)} | ${n(tl.refreshes + tl.balanceCalls)} |`,
    `| the next ${CATCH_UP_QUARTERS / 4} hours at once, 4 copies (wall) | ${s(d.copies.wallMs)} | ${mb(copyPeak)} | ${n(sum(copyRuns.map((r) => r.reminders)))} | ${n(sum(copyRuns.map((r) => r.refreshed)))} | ${n(sum(copyRuns.map((r) => r.read)))} | ${n(d.copies.upstream.refreshes + d.copies.upstream.balanceCalls)} |`,
    "",
    `Each copy ran ${d.copies.processes.map((p) => p.runs.length).join(", ")} run(s) back to back until one finished (${CATCH_UP_QUARTERS / 4} hours' work at once, as after ${CATCH_UP_QUARTERS / 4} hours with no runs).`,
    "",
    "### What a day holds, and 10,000,000 extrapolated",
    "",
    `Measured cost per item (each part's time in the day's runs, less that part's time in the nothing-due run for each run, over its items; TrueLayer's ${d.upstreamMs} ms per call included 16 keep-alive refreshes and 32 reads in flight): a reminder ${c.perReminder.toFixed(1)} ms, a keep-alive refresh ${c.perRefresh.toFixed(1)} ms, a read ${c.perRead.toFixed(1)} ms; the nothing-due invocation ${c.idleMs.toFixed(0)} ms, start-up included.`,
    "",
    `| per day | ${n(d.connections)} (measured) | ${n(10 * d.connections)} (×10) |`,
    "|---|---:|---:|",
    `| reminders (1/90 cross 14 days) | ${rem1} | ${rem10} |`,
    `| keep-alive refreshes (tokens unused 25 days: 1/25 of the connections not read) | ${ref1} | ${ref10} |`,
    `| unattended reads (once a day, users seen in a fortnight: ${(100 * d.seenShare).toFixed(0)}% here) | ${read1} | ${read10} |`,
    `| TrueLayer calls (a refresh per keep-alive; a refresh and ${accountsPerRead.toFixed(1)} balance calls per read) | ${calls1} | ${calls10} |`,
    `| the same at four unattended reads a day for every connection (the legal maximum) | ${n(fourADay)} | ${n(10 * fourADay)} |`,
    "",
    `At ${n(10 * d.connections)} one run every 15 minutes would take ${((c.idleMs * 10) / 1000).toFixed(1)} s (the nothing-due run ×10) + ${n((10 * c.reminders) / RUNS_A_DAY)} reminders × ${c.perReminder.toFixed(1)} ms + ${n((10 * c.refreshed) / RUNS_A_DAY)} refreshes × ${c.perRefresh.toFixed(1)} ms + ${n((10 * c.read) / RUNS_A_DAY)} reads × ${c.perRead.toFixed(1)} ms = ${s(run10)} s, ${run10 <= RUN_BUDGET_MS ? "within" : "over"} the ${BUDGET_S} s budget${run10 <= RUN_BUDGET_MS ? "" : `: ${Math.ceil(run10 / RUN_BUDGET_MS)} runs at once would be needed (the claims allow any number; a second cron entry with another path)`}. A whole day's backlog at once (after an outage) is ${RUNS_A_DAY}× one run's items: ${s(RUNS_A_DAY * (run10 - c.idleMs * 10))} s of work, ${Math.ceil((RUNS_A_DAY * (run10 - c.idleMs * 10)) / RUN_BUDGET_MS)} runs' budgets, spread over the runs that follow and any copies started.`,
    "",
    "## Renewal spike",
    "",
    `\`scripts/load-reconfirm.ts --servers N\`: every user's consent ends in 5 days; each one opens /reconfirm, posts its no-JavaScript form and reads the result page, ${spikes[0]?.concurrency ?? 40} users at a time, spread over the servers; one in ten posts twice at once (a double click), the second post to the other server. The simulator answers 5% of extends with 429 and 1% with 500 (queued ahead of each hundred users). Checked against the simulator: every stored refresh token still refreshes (none lost), every extension the simulator made is recorded exactly once (none twice), and each result page says "sharing continues until <the simulator's new end date>" exactly when the simulator extended, otherwise "not renewed … Nothing has changed", or, after an answer TrueLayer may have acted on but never gave (a 500), "we couldn't tell whether it renewed". Latency is the form post (the action and its extend call, until the redirect).`,
    "",
    "| servers | users (+double clicks) | at a time | extends | 429 / 500 | extended | p50 ms | p99 ms | wall s | extended twice | tokens lost | untrue pages | |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...spikes.map(spikeRow),
  ].join("\n");
}

async function main() {
  const started = Number(process.env.BENCH_STARTED_AT ?? Date.now());
  say(`a day's work over ${n(SCALE)} connections`);
  const day = await benchDay(SCALE, say);
  const spikes: Spike[] = [];
  for (const servers of SKIP_SPIKE ? [] : [1, 2]) {
    say(`renewal spike: ${n(SPIKE_USERS)} users on ${servers} server(s)`);
    spikes.push(await spike(servers));
  }
  const report = render(day, spikes, (Date.now() - started) / 1000);
  writeFileSync(path.join(root, "docs", "benchmarks-scale.md"), `${report}\n`);
  process.stdout.write(`${report}\n`);
}

await main();
