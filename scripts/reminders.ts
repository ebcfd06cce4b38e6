// `npm run reminders`: the daily reminder run for hosts without Vercel Cron (schedule it daily).
import path from "node:path";
import { readEnvFile } from "./lib/env-file.mjs";

// Locally, read .env.local like `next` does; variables already set win.
for (const [key, value] of Object.entries(readEnvFile(path.resolve(import.meta.dirname, "../.env.local"))))
  process.env[key] ??= value;

const { runReminders } = await import("../lib/reminders/run");
const { db } = await import("../lib/db");
try {
  const summary = await runReminders();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (summary.emailsFailed > 0) process.exitCode = 1;
} finally {
  await db().$disconnect();
}
