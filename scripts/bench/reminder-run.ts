// Child process of the bench: one reminder run (lib/reminders/send-reminders.ts) against the database in its
// environment, printing how long it took and the process's peak memory as one JSON line.
import { db } from "@/lib/db";
import { runReminders } from "@/lib/reminders/send-reminders";

const started = performance.now();
try {
  const summary = await runReminders();
  const ms = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ms, peakRss, summary })}\n`);
} finally {
  await db().$disconnect();
}
