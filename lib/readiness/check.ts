import "server-only";
import { now } from "@/lib/clock";
import { revokeQueueStats } from "@/lib/connections/custody";
import { missingSealingKeys } from "@/lib/connections/custody/keys";
import { lastTrueLayerSuccessAt } from "@/lib/connections/queries";
import { checkDatabase } from "@/lib/health";
import { lastScheduledRun } from "./runs";

const HOUR = 3_600_000;
// The job runs daily; a few hours' grace for a slow or retried run.
const JOB_DUE_MS = 26 * HOUR;
const REVOKE_LATE_MS = 24 * HOUR;

type Check = { ok: boolean; detail: string };
export type Readiness = {
  ready: boolean;
  checks: Record<"database" | "configuration" | "scheduledJob" | "revokeQueue", Check>;
  truelayer: { lastSuccessAt: string | null };
};

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

async function configuration(): Promise<Check> {
  const missing = await missingSealingKeys();
  return missing.length === 0
    ? { ok: true, detail: "environment valid; every stored token's key is provided" }
    : { ok: false, detail: `stored tokens need key(s) ${missing.join(", ")}, which are not provided` };
}

async function scheduledJob(at: Date): Promise<Check> {
  const run = await lastScheduledRun();
  if (!run) return { ok: false, detail: "the scheduled job has never run" };
  const since = `last run started ${iso(run.startedAt)}`;
  if (at.getTime() - run.startedAt.getTime() > JOB_DUE_MS) return { ok: false, detail: `${since}: overdue` };
  if (run.late) return { ok: false, detail: `${since}: it left work late` };
  return {
    ok: true,
    detail: run.finished === false ? `${since}: stopped at its budget, resumes next run` : since,
  };
}

async function revokeQueue(at: Date): Promise<Check> {
  const { size, oldestAt } = await revokeQueueStats();
  const late = oldestAt !== null && at.getTime() - oldestAt.getTime() > REVOKE_LATE_MS;
  return {
    ok: !late,
    detail: `${size} waiting${oldestAt ? `, oldest queued ${iso(oldestAt)}` : ""}${late ? ": older than a day" : ""}`,
  };
}

/** For operators and monitors: what must hold for Reconsent to do its work. TrueLayer is judged passively (the last
 * token it issued), never called. The database is checked first: nothing else can be read without it. */
export async function checkReadiness(): Promise<Readiness> {
  const at = now();
  const down = { ok: false, detail: "not checked: the database is unreachable" };
  if (!(await checkDatabase())) {
    const checks = {
      database: { ok: false, detail: "select 1 failed" },
      configuration: down,
      scheduledJob: down,
      revokeQueue: down,
    };
    return { ready: false, checks, truelayer: { lastSuccessAt: null } };
  }
  const [config, job, queue, lastSuccess] = await Promise.all([
    configuration(),
    scheduledJob(at),
    revokeQueue(at),
    lastTrueLayerSuccessAt(),
  ]);
  const checks = {
    database: { ok: true, detail: "select 1 answered" },
    configuration: config,
    scheduledJob: job,
    revokeQueue: queue,
  };
  return {
    ready: Object.values(checks).every((c) => c.ok),
    checks,
    truelayer: { lastSuccessAt: iso(lastSuccess) },
  };
}
