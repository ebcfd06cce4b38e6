#!/usr/bin/env node
// `npm test`: type check, lint, unit + integration tests (Vitest, against PostgreSQL) and the
// Playwright suite in Debian's Chromium. Ends with one line: "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { failureLines, playwrightFailures, vitestFailures } from "./lib/failed-tests.mjs";
import { ensureInstalled } from "./lib/install.mjs";
import { runOnSupportedNode } from "./lib/node-version.mjs";

// Every stage runs on the Node.js production runs (decision 038), fetched once when this is another.
await runOnSupportedNode(import.meta.filename);
const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
ensureInstalled();
process.stdout.write(`Tests run on Node.js ${process.version}.\n`);

const { ensureChromium } = await import("./lib/chromium.mjs");
const { canConnect, LOCAL_POSTGRES, redactUrl } = await import("./lib/database.mjs");

// Decide once which database every stage uses, and say so.
if (process.env.TEST_DATABASE !== "embedded") {
  const url = process.env.TEST_DATABASE_URL || LOCAL_POSTGRES;
  if (await canConnect(url)) process.stdout.write(`Tests use PostgreSQL at ${redactUrl(url)}.\n`);
  else if (process.env.TEST_DATABASE_URL) {
    process.stderr.write(`TEST_DATABASE_URL does not answer: ${redactUrl(url)}\n`);
    process.exit(1);
  } else process.env.TEST_DATABASE = "embedded";
}
if (process.env.TEST_DATABASE === "embedded") {
  process.stdout.write("Tests use the embedded database (PGlite); concurrency tests are skipped there.\n");
}
const only = process.argv.slice(2);
const wanted = (stage) => only.length === 0 || only.includes(stage);

// The browser is settled before any stage runs: installed here when the machine allows it, else a
// stop now with the command to run, rather than a failed stage at the end. The unit stage needs it
// too (scripts/smoke-truelayer.test.ts).
let chromium = null;
if (wanted("e2e") || wanted("unit")) {
  const found = ensureChromium();
  if (found.problem) {
    process.stderr.write(`\n${found.problem}\n`);
    if (process.env.TEST_SUMMARY_FILE) writeFileSync(process.env.TEST_SUMMARY_FILE, "0 passed, 1 failed\n");
    process.stdout.write("0 passed, 1 failed\n");
    process.exit(1);
  }
  chromium = found.path;
}

// PgBouncer, for the pooler stage, is settled the same way: installed here or a stop with the command.
let pgbouncer = null;
if (wanted("pgbouncer") && process.env.TEST_DATABASE !== "embedded") {
  const { ensurePgbouncer } = await import("./lib/pgbouncer.mjs");
  const found = ensurePgbouncer();
  if (found.problem) {
    process.stderr.write(`\n${found.problem}\n`);
    if (process.env.TEST_SUMMARY_FILE) writeFileSync(process.env.TEST_SUMMARY_FILE, "0 passed, 1 failed\n");
    process.stdout.write("0 passed, 1 failed\n");
    process.exit(1);
  }
  pgbouncer = found.path;
}

const out = mkdtempSync(path.join(tmpdir(), "reconsent-test-"));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };
const results = [];
const failures = [];

function run(title, command, args, extraEnv = {}) {
  process.stdout.write(`\n=== ${title}\n`);
  return spawnSync(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: "inherit" }).status ?? 1;
}

// Each stage's wall time, from the end of the one before (setup: from the start of this command), for the
// report `npm run bench` writes (docs/benchmarks.md reads it from STAGE_TIMES_FILE, newest full run).
let stageFrom = Date.now();
const setupSeconds = (stageFrom - performance.timeOrigin) / 1000;
function record(stage, passed, failed, note = "") {
  const seconds = (Date.now() - stageFrom) / 1000;
  stageFrom = Date.now();
  results.push({ stage, passed, failed, note, seconds });
}

const nodeBin = (pkg, file) => [process.execPath, path.join(root, "node_modules", pkg, file)];

if (wanted("typecheck")) {
  const [cmd, ...args] = nodeBin("typescript", "bin/tsc");
  const status = run("Type check (tsc --noEmit)", cmd, [...args, "--noEmit", "-p", "."]);
  record("typecheck", status === 0 ? 1 : 0, status === 0 ? 0 : 1);
}

if (wanted("lint")) {
  const status = run("Lint (biome check)", "npx", ["--no-install", "biome", "check", "."]);
  record("lint", status === 0 ? 1 : 0, status === 0 ? 0 : 1);
}

if (wanted("unit")) {
  const report = path.join(out, "vitest.json");
  const [cmd, ...args] = nodeBin("vitest", "vitest.mjs");
  const status = run(
    "Unit and integration tests (Vitest)",
    cmd,
    [...args, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
    { CHROMIUM_PATH: chromium },
  );
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    failures.push(...vitestFailures(json, root));
    const suiteFailures = status !== 0 && json.numFailedTests === 0 ? 1 : 0;
    record(
      "unit",
      json.numPassedTests,
      json.numFailedTests + suiteFailures,
      `${json.numPendingTests} skipped`,
    );
  } else record("unit", 0, 1, "Vitest did not report");
}

// The flows again through PgBouncer in transaction mode (decision 036); nothing to pool on the embedded database.
if (wanted("pgbouncer")) {
  if (!pgbouncer) record("pgbouncer", 0, 0, "skipped: the embedded database has no pooler in front");
  else {
    const { runPoolerStage } = await import("./lib/pooler-stage.mjs");
    const stage = await runPoolerStage({
      binary: pgbouncer,
      upstream: process.env.TEST_DATABASE_URL || LOCAL_POSTGRES,
      run,
      vitest: nodeBin("vitest", "vitest.mjs"),
      report: path.join(out, "vitest-pooler.json"),
      root,
    });
    record("pgbouncer", stage.passed, stage.failed, stage.note);
    const pooled = path.join(out, "vitest-pooler.json");
    if (existsSync(pooled))
      failures.push(
        ...vitestFailures(JSON.parse(readFileSync(pooled, "utf8")), root).map((n) => `pgbouncer: ${n}`),
      );
  }
}

if (wanted("e2e")) {
  const [nextCmd, ...nextArgs] = nodeBin("next", "dist/bin/next");
  const built = run("Production build for the browser tests (next build)", nextCmd, [...nextArgs, "build"], {
    SKIP_BUILD_TYPECHECK: "1",
  });
  if (built !== 0) record("e2e", 0, 1, "next build failed");
  else {
    const report = path.join(out, "playwright.json");
    const [cmd, ...args] = nodeBin("@playwright/test", "cli.js");
    // The runner loads the specs in its own process too, and their fixtures import "server-only".
    run(
      "Browser tests (Playwright, Chromium)",
      cmd,
      ["--conditions=react-server", ...args, "test", "--reporter=list,json"],
      {
        PLAYWRIGHT_JSON_OUTPUT_NAME: report,
        CHROMIUM_PATH: chromium,
      },
    );
    if (existsSync(report)) {
      const json = JSON.parse(readFileSync(report, "utf8"));
      const { stats, errors } = json;
      failures.push(...playwrightFailures(json));
      const setupFailed = (errors ?? []).length > 0 ? 1 : 0;
      record("e2e", stats.expected + stats.flaky, stats.unexpected + setupFailed, `${stats.skipped} skipped`);
    } else record("e2e", 0, 1, "Playwright did not report");
    const scan = run("Secret scan of the browser-test run", process.execPath, ["scripts/secret-scan.mjs"]);
    record("secret-scan", scan === 0 ? 1 : 0, scan === 0 ? 0 : 1);
  }
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
process.stdout.write("\n=== Summary\n");
for (const r of results)
  process.stdout.write(
    `${r.stage}: ${r.passed} passed, ${r.failed} failed${r.note ? ` (${r.note})` : ""}, ${r.seconds.toFixed(0)} s\n`,
  );
const line = `${passed} passed, ${failed} failed`;
const named = failureLines(failures);
for (const name of named) process.stdout.write(`${name}\n`);
// Only a run of every stage says what `npm test` costs; a run of some stages leaves the last full run's figures.
if (only.length === 0) {
  const { recordStageTimes } = await import("./lib/stage-times.mjs");
  recordStageTimes(root, { setupSeconds, results, passed, failed });
}
// The summary line first (.ci/run sums it), then the failed tests by name (.ci/run repeats them at the end).
if (process.env.TEST_SUMMARY_FILE)
  writeFileSync(process.env.TEST_SUMMARY_FILE, [line, ...named, ""].join("\n"));
process.stdout.write(`${line}\n`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
