// `npm run bench`: builds for production, then runs scripts/bench/main.ts, which starts the app, the
// TrueLayer simulator and PostgreSQL on loopback, measures the budget set three times, and writes
// docs/benchmarks.md. `npm run bench -- scale` runs scripts/bench/scale.ts instead (the reminder job
// over a million connections, a renewal spike, two app servers). Not part of `npm test`. Stops by
// itself: everything is killed after BENCH_TIMEOUT_MS (10 minutes; 25 for scale), build included.
// BENCH_SKIP_BUILD=1 reuses the existing .next build; BENCH_ONLY=action times only the reconfirm action
// (beside the action floor) and writes nothing.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { runOnSupportedNode } from "./lib/node-version.mjs";

// Measured on the Node.js production runs (decision 038), as `npm test` and `npm run demo` run.
await runOnSupportedNode(import.meta.filename);

const root = path.resolve(import.meta.dirname, "..");
const scale = process.argv[2] === "scale";
const limitMs = Number(process.env.BENCH_TIMEOUT_MS ?? (scale ? 1_500_000 : 600_000));
const started = Date.now();

if (process.env.BENCH_SKIP_BUILD !== "1") {
  process.stdout.write("[bench] building for production (next build)\n");
  const built = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BENCH_BUILD: "1" },
    timeout: limitMs,
  });
  if (built.status !== 0) {
    process.stderr.write("[bench] the production build failed\n");
    process.exit(1);
  }
}

const child = spawn(
  process.execPath,
  [
    path.join(root, "node_modules/tsx/dist/cli.mjs"),
    "--conditions=react-server",
    scale ? "scripts/bench/scale.ts" : "scripts/bench/main.ts",
  ],
  {
    cwd: root,
    stdio: "inherit",
    detached: true,
    env: { ...process.env, BENCH_STARTED_AT: String(started) },
  },
);
const remaining = Math.max(10_000, limitMs - (Date.now() - started));
const timer = setTimeout(() => {
  process.stderr.write(`[bench] stopped after ${Math.round(limitMs / 1000)} s: over its time limit\n`);
  // The bench and everything it started (app, simulator, browser) share one process group.
  process.kill(-child.pid, "SIGTERM");
  setTimeout(() => process.kill(-child.pid, "SIGKILL"), 5000).unref();
  process.exitCode = 1;
}, remaining);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    process.kill(-child.pid, "SIGTERM");
  });
}
child.on("exit", (code) => {
  clearTimeout(timer);
  process.exitCode = process.exitCode || code || 0;
});
