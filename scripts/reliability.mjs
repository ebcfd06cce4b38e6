#!/usr/bin/env node
// `npm run test:reliability`: the fault matrix, the concurrency and pool tests and the 200-user load
// test on pools of 5 and 1, then docs/reliability.md with the figures each one measured, the commit
// they were measured on, this machine's cores and the date. `-- --check` (what .ci/run uses) writes
// no file. Ends with "N passed, N failed" over everything it ran.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { failureLines, vitestFailures } from "./lib/failed-tests.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const out = mkdtempSync(path.join(os.tmpdir(), "reconsent-reliability-"));
const env = { ...process.env, FORCE_COLOR: "0", PROPERTY_RUNS: process.env.PROPERTY_RUNS ?? "100" };
const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);
const FAULTS = "lib/connections/faults.reliability.test.ts";
const CONCURRENCY = "lib/connections/concurrency.reliability.test.ts";
const POOL = "lib/connections/pool.reliability.test.ts";
// The custody invariant's long soak: npm test runs a short budget of it, this run many more interleavings.
const CUSTODY = "lib/connections/custody/custody.property.test.ts";
const check = process.argv.includes("--check");

function git(args) {
  const result = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : "";
}
const commit = git(["rev-parse", "--short", "HEAD"]) || "unknown";
const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";

function run(title, args, capture = false) {
  process.stdout.write(`\n=== ${title}\n`);
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    env,
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
  });
  if (capture) process.stdout.write(result.stdout ?? "");
  return { status: result.status ?? 1, stdout: result.stdout ?? "" };
}

const vitestJson = path.join(out, "vitest.json");
const tests = run("Fault matrix and concurrency (Vitest)", [
  bin("vitest", "vitest.mjs"),
  "run",
  FAULTS,
  CONCURRENCY,
  POOL,
  CUSTODY,
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestJson}`,
]);
const files = existsSync(vitestJson) ? JSON.parse(readFileSync(vitestJson, "utf8")).testResults : [];
const resultsFor = (file) => files.find((f) => f.name.endsWith(file))?.assertionResults ?? [];
const count = (rows, status) => rows.filter((r) => r.status === status).length;
const faultRows = resultsFor(FAULTS).filter((r) => r.ancestorTitles[0]?.startsWith("fault matrix"));
const otherFaultRows = resultsFor(FAULTS).filter((r) => !r.ancestorTitles[0]?.startsWith("fault matrix"));
const concurrencyRows = resultsFor(CONCURRENCY);
const poolRows = resultsFor(POOL);
const custodyRows = resultsFor(CUSTODY);

function loadRun(pool) {
  const json = path.join(out, `load-${pool}.json`);
  const { status } = run(`Load: 200 users reconfirm at once, pool of ${pool} (PostgreSQL)`, [
    bin("tsx", "dist/cli.mjs"),
    "--conditions=react-server",
    "scripts/load-reconfirm.ts",
    "--pool",
    String(pool),
    "--out",
    json,
  ]);
  return { pool, status, result: existsSync(json) ? JSON.parse(readFileSync(json, "utf8")) : undefined };
}
const loads = [loadRun(5), loadRun(1)];

let tokensFound = "see `npm test` (no browser-test run to scan here)";
if (existsSync(path.join(root, ".e2e-artifacts", "database-scan.json"))) {
  const scan = run("Secret scan of the last browser-test run", ["scripts/secret-scan.mjs"], true);
  const match = /tokens found: (\d+)/.exec(scan.stdout);
  if (match)
    tokensFound = `${match[1]} (secret scan of the last browser-test run's logs, pages, bundle and database)`;
}

const mark = (ok) => (ok ? "pass" : "FAIL");
const matrixLines = faultRows.map((r) => `| ${r.title} | ${mark(r.status === "passed")} |`);
const concurrencyFigure =
  concurrencyRows.length === 0
    ? "not run"
    : concurrencyRows.some((r) => r.status === "skipped" || r.status === "pending")
      ? "SKIPPED: needs real PostgreSQL (the embedded database cannot show it)"
      : `${count(concurrencyRows, "passed")}/${concurrencyRows.length} passed; 50 simultaneous submissions → 1 upstream extend, 50/50 saw the one outcome`;
const poolFigure =
  poolRows.length === 0
    ? "not run"
    : poolRows.some((r) => r.status === "skipped" || r.status === "pending")
      ? "SKIPPED: needs real PostgreSQL"
      : `${count(poolRows, "passed")}/${poolRows.length} passed: 20 and 200 connects through /callback, 200 reconfirmations without and with a bank trip, 200 stops (20 pressed twice), each on a pool of 5 and of 1`;
const custodyFigure =
  custodyRows.length === 0
    ? "not run"
    : `${count(custodyRows, "passed")}/${custodyRows.length} profiles held over ${env.PROPERTY_RUNS} random interleavings each`;
function loadFigure({ result: r }) {
  if (!r) return "did not report";
  if (r.skipped) return `SKIPPED: ${r.skipped}`;
  if (r.error) return `FAIL: ${r.error}`;
  return (
    `${r.users} users + ${r.duplicateSubmissions} duplicate submissions at once: ${r.errors} errors, ` +
    `${r.upstreamExtends} upstream extends, ${r.lostUpdates} lost and ${r.duplicatedUpdates} duplicated updates, ` +
    `${r.staleTokens} stale tokens; p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms ` +
    `(pool of ${r.dbPool} database connections, one process) — ${mark(r.passed)}`
  );
}
const loadOk = ({ status, result }) => status === 0 && (result?.passed === true || Boolean(result?.skipped));

const cpus = os.cpus();
const doc = `# Reliability: no lost connections under faults and concurrency

Measured ${new Date().toISOString().slice(0, 10)} on commit \`${commit}\`${dirty ? " with uncommitted changes" : ""}, ${cpus.length} CPU cores (${cpus[0]?.model?.trim() ?? "unknown CPU"}), Node ${process.version}.
Regenerate with \`npm run test:reliability\` (this file is written by \`scripts/reliability.mjs\`).

| test | figure |
|---|---|
| Fault matrix (\`${FAULTS}\`) | ${count(faultRows, "passed")}/${faultRows.length} faults survived (4 operations × 7 faults, plus data reads failing every attempt) |
| Present-user header (same file) | ${count(otherFaultRows, "passed")}/${otherFaultRows.length} passed: /me and /accounts during connect carry \`X-PSU-IP\` |
| Concurrency (\`${CONCURRENCY}\`, real PostgreSQL) | ${concurrencyFigure} |
| Pool deadlocks (\`${POOL}\`, real PostgreSQL) | ${poolFigure} |
| Custody invariant (\`${CUSTODY}\`) | ${custodyFigure} |
| Load, pool of 5 (\`scripts/load-reconfirm.ts\`, real PostgreSQL) | ${loadFigure(loads[0])} |
| Load, pool of 1 (same script) | ${loadFigure(loads[1])} |
| Tokens in logs, pages, bundle, database | tokens found: ${tokensFound} |

## What each test shows

**Fault matrix.** Every operation the app performs against TrueLayer — extend (the user reconfirmed),
code exchange (back from the bank to reconnect), the data reads while connecting (\`/me\`, \`/accounts\`)
and token refresh (stopping a connection whose access token has expired) — under each fault the simulator
injects: a delay past the client's timeout, 500, 503, 429 with Retry-After, malformed JSON, a reset
connection, and "processed but the response was lost". Each row runs the real lib functions against
the in-process simulator and checks: the outcome; the stored state (the tokens we kept still work at
the simulator, or the connection needs the bank with \`statusReason = outcome_unknown\` and an auth
link with the bank preselected); never an older token over a newer one; an appended event with our
reason (\`FAILED\`, or \`REVOKED\` with \`truelayer_unreachable\` for stop sharing); and non-empty words
for the user (the results page, the connect result page or the "stopped" notice).
The delay rows shorten the client's 10 s timeout to 1.5 s for that row (a spy on \`AbortSignal.timeout\`),
so the suite stays fast; the code path is the production one.

| row | result |
|---|---|
${matrixLines.join("\n")}

Choices the matrix pins down (decision 043):
- Extend answered with a 5xx, a garbled 200 or a reset may have been processed. That is no reason for a new
  grant (billed twice): the status stays, the row remembers the unknown outcome, and the next try extends with
  the stored refresh token. Only if TrueLayer had acted and rotated it does that try hear \`invalid_grant\`: a
  lost answer, counted, and the user is told to stop it at their bank.
- Reads are retried (three attempts) while the user is present; a fault on every attempt ends the connect
  cleanly: the half-made grant is queued for revocation and revoked at once, and the existing one is untouched.
- Stopping always wins: when TrueLayer cannot be reached the connection stops here at once and its grant
  waits in the revoke queue, which drains with backoff.

**Custody invariant.** Random interleavings of connect, reconfirm, every kind of bank return (genuine,
replayed, foreign, cookieless, forged, garbage state), stop, decline, reconnect, account deletion, balance
reads, maintenance and key rotation, from two people in two tabs each, with faults, under both simulator
profiles; after every step, and strictly once the queue has drained with the faults off, every live grant in
the simulator's ledger is held by exactly one connection of the person whose bank login authorised it, queued,
or a counted lost answer. \`PROPERTY_SEED\`/\`PROPERTY_PATH\` replay a failure.

**Concurrency.** Claim-and-lease (\`lib/connections/custody/\`): no transaction or lock is held across a
TrueLayer call. Fifty simultaneous submissions of the same reconfirmation cause exactly one upstream
extend; the others wait for it (\`holdOrWait\`) and are sent to its results page, so every submitter sees
the one outcome. A lease left by a crashed request expires after 60 s and the next submission recovers it.
A reconnect that lands while an extend is in flight waits for it, so the newer tokens are the ones kept. These run only on a real
PostgreSQL server; on the embedded database the describe block is skipped and says why.

**Pool deadlocks.** A request that holds a transaction and then waits for a second connection from
the same pool deadlocks once the pool is exhausted, and on a pool of 1 (the embedded database) at
once. Each flow runs with many requests at once on a pool of 5 and of 1; with the pool's acquire
timeout (\`lib/db.ts\`, decision 015) a deadlock would fail by name (\`DatabaseBusyError\`) within
seconds instead of hanging. \`lib/db.test.ts\` proves the timeouts themselves: a transaction that
waits on its own pool, a statement that runs too long, and a transaction left idle (whose
connection the server ends and the pool gets back).

**Load.** \`scripts/load-reconfirm.ts\` (run by tsx with the react-server condition) creates a fresh
database on the local PostgreSQL, starts the simulator on loopback, connects 200 users through the
simulator's dialog, then calls the reconfirm workflow (\`reconfirmConnections\`) for all 200 at once plus
a duplicate submission for 20 of them, in one process with a pool of 5, then of 1, database connections.
It checks every connection got exactly one \`EXTENDED\` event, TrueLayer saw exactly 200 extends, no
lease is left, and each stored refresh token is the simulator's current one (by refreshing with it).
Latency is per submission, from call to result; all start together, so p50 and p99 include queueing
for the pool's connections. It stops itself after 180 s, reports an error before it tears down, and
refuses a database that is not on this machine. \`npm test\` runs it with 50 users
(\`scripts/load-reconfirm.test.ts\`).

**Unattended data calls.** With the user present (connect, the bank return, a page view) reads carry their
address as \`X-PSU-IP\`. The scheduled job reads balances without them at most four times a connection a day,
counted in the database before anything is sent; an unattended read is never retried, and a 429 pauses them
until \`Retry-After\` (decision 032). Tokens are refreshed only by custody, under the lease, and the successor
is stored before the new access token is used.
`;
if (!check) {
  writeFileSync(path.join(root, "docs", "reliability.md"), doc);
  process.stdout.write("\nWrote docs/reliability.md\n");
}
const vitestReport = existsSync(vitestJson) ? JSON.parse(readFileSync(vitestJson, "utf8")) : undefined;
const vitestFailed = vitestReport
  ? vitestReport.numFailedTests + (tests.status !== 0 && vitestReport.numFailedTests === 0 ? 1 : 0)
  : 1;
const passed = (vitestReport?.numPassedTests ?? 0) + loads.filter(loadOk).length;
const failed = vitestFailed + loads.filter((l) => !loadOk(l)).length + (faultRows.length === 0 ? 1 : 0);
const line = `${passed} passed, ${failed} failed`;
const named = failureLines([
  ...vitestFailures(vitestReport, root),
  ...loads.filter((l) => !loadOk(l)).map((l) => `load: 200 users at once, pool of ${l.pool}`),
  ...(faultRows.length === 0 ? ["the fault matrix did not run"] : []),
]);
for (const name of named) process.stdout.write(`${name}\n`);
if (process.env.RELIABILITY_SUMMARY_FILE)
  writeFileSync(process.env.RELIABILITY_SUMMARY_FILE, [line, ...named, ""].join("\n"));
process.stdout.write(`${line}\n`);
process.exit(failed === 0 ? 0 : 1);
