import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { SCHEDULE_EVERY_MS } from "@/lib/maintenance/scheduled";
import { countDayWorkLeft, seedDayConnections } from "../../kit";
import { keyringFrom, seal } from "../../lib/crypto/token-seal";
import { localSecrets } from "../lib/env-file.mjs";
import { bundleOps, OPS_BUNDLE } from "../lib/ops-bundle.mjs";
import { startSink } from "./smtp-sink";
import { benchDatabase } from "./stack";

// A day's work (docs/decisions/061-a-days-work.md) over `connections` seeded connections: the nothing-due run, then
// the 96 runs of one day's schedule (every 15 minutes, each with the route's budget) in one warm process, then the
// next day's whole work at once by 4 copies started together. TrueLayer is a stub that answers every refresh and
// balance read after UPSTREAM_MS and counts what a correct run never does: a refresh token it issued earlier in the
// same phase used again (a connection refreshed twice), an account read twice. Mail goes to the counting SMTP sink.

export type DayPhase = { runs: SlotRun[]; peakRss: number };
export type Upstream = { refreshes: number; balanceCalls: number; refreshedTwice: number; readTwice: number };
export type DayScale = {
  connections: number;
  seenShare: number;
  upstreamMs: number;
  seedMs: number;
  idle: DayPhase;
  day: DayPhase & {
    upstream: Upstream;
    mailedTwice: number;
    latestReminderMinutes: number;
    leftDue: LeftDue;
  };
  copies: {
    processes: DayPhase[];
    wallMs: number;
    upstream: Upstream;
    mailedTwice: number;
    leftDue: LeftDue;
  };
};
export type LeftDue = { reminders: number; keepAlive: number; reads: number };

const root = path.resolve(import.meta.dirname, "..", "..");
const SEEN_EVERY = 20;
// The copies take on the 4 hours after the day at once: 16 quarters' work, as after 4 hours with no runs.
export const CATCH_UP_QUARTERS = 16;

function startUpstream(delayMs: number) {
  let issued = new Set<string>();
  const accounts = new Map<string, number>();
  const counts = { refreshes: 0, balanceCalls: 0, refreshedTwice: 0, readTwice: 0 };
  const answer = (res: http.ServerResponse, body: unknown) =>
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    }, delayMs);
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/connect/token") {
        counts.refreshes++;
        const presented = new URLSearchParams(text).get("refresh_token") ?? "";
        if (issued.has(presented)) counts.refreshedTwice++;
        const refresh = `rt-${randomBytes(12).toString("hex")}`;
        issued.add(refresh);
        const jwt = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
        return answer(res, {
          access_token: `${jwt({ alg: "none" })}.${jwt({ sub: refresh })}.sig`,
          refresh_token: refresh,
          expires_in: 3600,
          token_type: "Bearer",
        });
      }
      const balance = req.url?.match(/^\/data\/v1\/accounts\/([^/]+)\/balance$/);
      if (req.method === "GET" && balance?.[1]) {
        counts.balanceCalls++;
        const seenBefore = accounts.get(balance[1]) ?? 0;
        if (seenBefore > 0) counts.readTwice++;
        accounts.set(balance[1], seenBefore + 1);
        return answer(res, { results: [{ currency: "GBP", available: 100.5, current: 120.25 }] });
      }
      res.writeHead(404).end();
    });
  });
  return {
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address();
      if (!address || typeof address === "string") throw new Error("upstream stub has no port");
      return address.port;
    },
    /** A new phase: counts from zero, and the tokens of the last phase may be used once more. */
    phase(): Upstream {
      const out = { ...counts };
      Object.assign(counts, { refreshes: 0, balanceCalls: 0, refreshedTwice: 0, readTwice: 0 });
      issued = new Set();
      accounts.clear();
      return out;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SlotRun = {
  slot: number;
  at: string;
  /** The invocation from process start to exit (a cold start), and the run's own parts. */
  ms: number;
  peakRss: number;
  finished: boolean;
  reminders: number;
  refreshed: number;
  read: number;
  failed: number;
  parts: Record<string, number>;
};

// One invocation as production runs it: the bundled operator commands (dist/ops.mjs, decision 049), one
// `scheduled --once`, the app's clock at `slot` quarters after the seed. Peak memory is read as the process exits.
const PEAK = `data:text/javascript,process.on("exit",()=>process.stderr.write("peak-rss:"+process.resourceUsage().maxRSS*1024+"\\n"))`;

// The app's clock is exactly `slot` quarters after the seed, however long the bench has taken meanwhile: a run's
// real time must not stretch the simulated day (a day of 96 runs would otherwise span 24 hours plus the bench's own).
let origin = Date.now();

function invoke(slot: number, env: Record<string, string>, clockDir: string): Promise<SlotRun> {
  const clockFile = path.join(clockDir, `clock-${slot}-${randomBytes(4).toString("hex")}.json`);
  writeFileSync(clockFile, JSON.stringify({ offsetMs: origin + slot * SCHEDULE_EVERY_MS - Date.now() }));
  const at = new Date(origin + slot * SCHEDULE_EVERY_MS).toISOString();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [`--import=${PEAK}`, OPS_BUNDLE, "scheduled", "--once"], {
      cwd: root,
      env: { ...process.env, ...env, CLOCK_FILE: clockFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout.on("data", (chunk) => {
      out += chunk;
    });
    proc.stderr.on("data", (chunk) => {
      err += chunk;
    });
    proc.on("exit", () => {
      const ms = performance.now() - started;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      const peak = err.match(/peak-rss:(\d+)/);
      if (!line || !peak) return reject(new Error(`scheduled run failed: ${err.slice(-500)}`));
      const body = JSON.parse(line);
      resolve({
        slot,
        at,
        ms,
        peakRss: Number(peak[1]),
        finished: body.finished,
        reminders: body.remindersSent,
        refreshed: body.keepAlive.refreshed,
        read: body.balances.read,
        failed: body.keepAlive.failed + body.balances.failed + body.emailsFailed,
        parts: body.ms,
      });
    });
  });
}

async function slots(
  from: number,
  count: number,
  env: Record<string, string>,
  dir: string,
): Promise<DayPhase> {
  const runs: SlotRun[] = [];
  for (let slot = from; slot < from + count; slot++) runs.push(await invoke(slot, env, dir));
  return { runs, peakRss: Math.max(...runs.map((r) => r.peakRss)) };
}

// A copy catching up: invocations back to back at one moment until one finishes.
async function catchUp(slot: number, env: Record<string, string>, dir: string): Promise<DayPhase> {
  const runs: SlotRun[] = [];
  for (let i = 0; i < 20 && !runs.at(-1)?.finished; i++) runs.push(await invoke(slot, env, dir));
  return { runs, peakRss: Math.max(...runs.map((r) => r.peakRss)) };
}

const leftDue = (client: pg.Client, at: Date): Promise<LeftDue> =>
  countDayWorkLeft(at, async (statement) => {
    const result = await client.query(statement.text, statement.values);
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  });

const mailedTwice = (sink: ReturnType<typeof startSink>) =>
  [...sink.counts().recipients.values()].filter((v) => v > 1).length;

export async function benchDay(connections: number, say: (line: string) => void): Promise<DayScale> {
  const upstreamMs = Number(process.env.UPSTREAM_MS ?? 50);
  const database = await benchDatabase(`reconsent_bench_day_${connections}`);
  const sink = startSink();
  const upstream = startUpstream(upstreamMs);
  const [smtpPort, upstreamPort] = [await sink.listen(), await upstream.listen()];
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const secrets = localSecrets("bench-day");
    const keyId = secrets.TOKEN_ENCRYPTION_KEY_ID ?? "";
    const ring = keyringFrom({ id: keyId, key: secrets.TOKEN_ENCRYPTION_KEY ?? "" });
    const seedStart = performance.now();
    await seedDayConnections(
      { count: connections, sealed: seal("bench-dummy-token", ring), keyId, seenEvery: SEEN_EVERY },
      async (statement) => {
        const result = await client.query(statement.text, statement.values);
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      },
    );
    await client.query("analyze");
    const seedMs = performance.now() - seedStart;
    say(`day: seeded ${connections.toLocaleString("en-GB")} connections in ${(seedMs / 1000).toFixed(0)} s`);
    const env = {
      ...secrets,
      RECONSENT_MODE: "test",
      NODE_ENV: "production",
      APP_URL: "http://127.0.0.1:4410",
      DATABASE_URL: database.url,
      TRUELAYER_TARGET: "simulator",
      TRUELAYER_AUTH_URL: `http://127.0.0.1:${upstreamPort}`,
      TRUELAYER_API_URL: `http://127.0.0.1:${upstreamPort}`,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
    };
    await bundleOps();
    origin = Date.now();
    const dir = mkdtempSync(path.join(tmpdir(), "reconsent-day-"));
    const idle = await slots(0, 1, env, dir);
    upstream.phase();
    sink.reset();
    say(`day: nothing-due run ${(idle.runs[0]?.ms ?? 0).toFixed(0)} ms`);
    const day = await slots(1, 96, env, dir);
    const dayUpstream = upstream.phase();
    const dayMailedTwice = mailedTwice(sink);
    const { rows } = await client.query<{ minutes: number | null }>(
      `select max(extract(epoch from ("sentAt" - ("consentExpiresAt" - "threshold" * interval '1 day'))) / 60)::float as minutes
       from "Reminder" where "status" = 'SENT'`,
    );
    const lastAt = new Date(day.runs.at(-1)?.at ?? Date.now());
    const dayLeft = await leftDue(client, lastAt);
    say(`day: 96 runs, slowest ${(Math.max(...day.runs.map((r) => r.ms)) / 1000).toFixed(1)} s`);
    sink.reset();
    const started = performance.now();
    const processes = await Promise.all(
      Array.from({ length: 4 }, () => catchUp(96 + CATCH_UP_QUARTERS, env, dir)),
    );
    const wallMs = performance.now() - started;
    const copiesUpstream = upstream.phase();
    const latest = Math.max(...processes.flatMap((p) => p.runs.map((r) => Date.parse(r.at))));
    say(`day: 4 copies caught up 4 hours in ${(wallMs / 1000).toFixed(1)} s`);
    return {
      connections,
      seenShare: 1 / SEEN_EVERY,
      upstreamMs,
      seedMs,
      idle,
      day: {
        ...day,
        upstream: dayUpstream,
        mailedTwice: dayMailedTwice,
        latestReminderMinutes: rows[0]?.minutes ?? 0,
        leftDue: dayLeft,
      },
      copies: {
        processes,
        wallMs,
        upstream: copiesUpstream,
        mailedTwice: mailedTwice(sink),
        leftDue: await leftDue(client, new Date(latest)),
      },
    };
  } finally {
    await client.end().catch(() => {});
    await sink.close();
    await upstream.close();
    await database.drop();
  }
}
