// `npm run maintenance`: queued revokes, unfinished deletions and retention pruning, for hosts without
// Vercel Cron (schedule it daily beside `npm run reminders`; the cron route runs both).
import path from "node:path";
import { readEnvFile } from "./lib/env-file.mjs";

for (const [key, value] of Object.entries(readEnvFile(path.resolve(import.meta.dirname, "../.env.local"))))
  process.env[key] ??= value;

const { runMaintenance } = await import("../lib/maintenance/run");
const { db } = await import("../lib/db");
try {
  process.stdout.write(`${JSON.stringify(await runMaintenance())}\n`);
} finally {
  await db().$disconnect();
}
