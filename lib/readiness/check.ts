import "server-only";
import { checkRenewalFailureRate, type RenewalRate } from "@/lib/alerts/renewal-rate";
import { now } from "@/lib/clock";
import { revokeQueueStats } from "@/lib/connections/custody";
import { missingSealingKeys } from "@/lib/connections/custody/keys";
import { lastTrueLayerSuccessAt } from "@/lib/connections/queries";
import { mailStatus } from "@/lib/email/mail-status";
import { checkDatabase } from "@/lib/health";
import { lastScheduledRun } from "./runs";

const HOUR = 3_600_000;
// The job runs every 15 minutes (decision 061): four missed runs in a row are overdue.
const JOB_DUE_MS = HOUR;
const REVOKE_LATE_MS = 24 * HOUR;

type Check = { ok: boolean; detail: string };
export type Readiness = {
  ready: boolean;
  checks: Record<"database" | "configuration" | "scheduledJob" | "revokeQueue" | "mail", Check>;
  /** Reported, not judged: a failing bank or TrueLayer is an alert ("renewal failure rate"), not an unready app. */
  truelayer: { lastSuccessAt: string | null; renewalsLastHour: RenewalRate | null };
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

// Judged from how the last sends went (sign-in links, reminders, deletion notices), never by sending one.
async function mail(): Promise<Check> {
  const status = await mailStatus();
  const sent = status?.lastSentAt ? `last sent ${iso(status.lastSentAt)}` : "nothing sent yet";
  if (!status?.lastFailedAt) return { ok: true, detail: sent };
  if (status.lastSentAt && status.lastSentAt > status.lastFailedAt)
    return { ok: true, detail: `${sent}; a send failed before it, at ${iso(status.lastFailedAt)}` };
  return {
    ok: false,
    detail: `the last send failed at ${iso(status.lastFailedAt)} (${status.lastError ?? "unknown"}); ${sent}`,
  };
}

/** What must hold for Reconsent to work: TrueLayer judged passively (last token), never called; database first, as
 * nothing else can be read without it. */
export async function checkReadiness(): Promise<Readiness> {
  const at = now();
  const up = await checkDatabase();
  const down: Check = { ok: false, detail: "not checked: the database is unreachable" };
  const [config, job, queue, sending, lastSuccess, renewals] = up
    ? await Promise.all([
        configuration(),
        scheduledJob(at),
        revokeQueue(at),
        mail(),
        lastTrueLayerSuccessAt(),
        checkRenewalFailureRate(),
      ])
    : [down, down, down, down, null, null];
  const checks = {
    database: { ok: up, detail: up ? "select 1 answered" : "select 1 failed" },
    configuration: config,
    scheduledJob: job,
    revokeQueue: queue,
    mail: sending,
  };
  return {
    ready: Object.values(checks).every((c) => c.ok),
    checks,
    truelayer: { lastSuccessAt: iso(lastSuccess), renewalsLastHour: renewals },
  };
}
