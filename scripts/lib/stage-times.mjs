// The time each stage of a full `npm test` took, kept on this machine for `npm run bench` to report
// (docs/benchmarks.md). Written by scripts/test.mjs at the end of a run of every stage; never committed.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";

export const STAGE_TIMES_FILE = ".data/npm-test-stages.json";

/** Writes the run's stage times (seconds), with when and where it ran, over the last run's. */
export function recordStageTimes(root, { setupSeconds, results, passed, failed }, at = new Date()) {
  const file = path.join(root, STAGE_TIMES_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  const stages = [
    { stage: "setup", seconds: setupSeconds },
    ...results.map((r) => ({ stage: r.stage, seconds: r.seconds })),
  ];
  const total = stages.reduce((n, s) => n + s.seconds, 0);
  const record = {
    finishedAt: at.toISOString(),
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    node: process.version,
    passed,
    failed,
    stages: stages.map((s) => ({ stage: s.stage, seconds: Math.round(s.seconds * 10) / 10 })),
    totalSeconds: Math.round(total * 10) / 10,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** The last full run's record, or null when this machine has none (or it cannot be read). */
export function readStageTimes(root) {
  const file = path.join(root, STAGE_TIMES_FILE);
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, "utf8"));
    return Array.isArray(record.stages) && typeof record.finishedAt === "string" ? record : null;
  } catch {
    return null;
  }
}
