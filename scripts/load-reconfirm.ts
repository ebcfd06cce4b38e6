#!/usr/bin/env node
// Load test: many users reconfirm at once through the real workflow (reconfirmConnections → extend
// via the TrueLayer simulator) against a fresh database on real PostgreSQL, plus a duplicate
// submission for some of them. Loopback only; bounded in users and time; stops by itself.
//   npx tsx --conditions=react-server scripts/load-reconfirm.ts [--users 200] [--pool 5] [--out result.json]
// --servers N runs the renewal spike instead: N production servers (`next start` of the existing build,
// ports from --port, default 4416) on one database, each user through the pages and the no-JavaScript
// form, --concurrency at a time, the simulator answering --fault-429 and --fault-500 percent of extends
// with those errors (scripts/load-reconfirm-http.ts).
// TypeScript on purpose: `npm test` type-checks it, so an import that moved fails there, not here.
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { dropDatabase, freshDatabase, redactUrl, resolveTestDatabase } from "./lib/database.mjs";

function flag(name: string, fallback: number, min = 1): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} takes a whole number from ${min}`);
  return value;
}

const USERS = flag("users", 200);
const SERVERS = flag("servers", 0, 0);
const POOL = flag("pool", 5);
const DUPLICATES = Math.ceil(USERS / 10);
const SEED_BATCH = 20;
const TIME_LIMIT_MS = flag("seconds", 180) * 1000;
const root = path.resolve(import.meta.dirname, "..");
const outArg = process.argv.indexOf("--out");
const outFile = outArg > 0 ? process.argv[outArg + 1] : undefined;

const limit = setTimeout(() => {
  process.stderr.write(`load-reconfirm: still running after ${TIME_LIMIT_MS / 1000} s, stopping.\n`);
  process.exit(1);
}, TIME_LIMIT_MS);
limit.unref();

function report(result: object) {
  if (outFile) writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** Resolves with the promise, or rejects once `ms` have passed: teardown must never hang the run. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T | undefined> {
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) =>
      setTimeout(() => {
        process.stderr.write(`load-reconfirm: ${what} did not finish within ${ms} ms.\n`);
        resolve(undefined);
      }, ms).unref(),
    ),
  ]);
}

const server = await resolveTestDatabase();
const host = new URL(server.url).hostname;
if (server.kind !== "postgresql") {
  await server.stop();
  process.stdout.write("load-reconfirm: SKIPPED: needs a real PostgreSQL server (none answered).\n");
  report({ skipped: "no PostgreSQL server answered" });
  process.exit(0);
}
if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
  process.stderr.write(`load-reconfirm: refusing a database off this machine (${redactUrl(server.url)}).\n`);
  process.exit(1);
}

const dbName = `reconsent_load_${process.pid}_${Date.now().toString(36)}`;
const baseUrl = await freshDatabase(server.url, server.kind, dbName);
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
const migrations = path.join(root, "prisma", "migrations");
for (const dir of readdirSync(migrations, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()) {
  await admin.query(readFileSync(path.join(migrations, dir, "migration.sql"), "utf8"));
}
await admin.end();
const databaseUrl = `${baseUrl}?connection_limit=${POOL}`;

const { startTestSandbox } = await import("../sandbox/client/start");
const appUrl = "http://127.0.0.1:3999";
const sandbox = await startTestSandbox({ name: "load", redirectUri: `${appUrl}/callback` });
Object.assign(process.env, {
  RECONSENT_MODE: "test",
  APP_URL: appUrl,
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: randomBytes(32).toString("hex"),
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  TOKEN_ENCRYPTION_KEY_ID: "k1",
  TRUELAYER_TARGET: "simulator",
  TRUELAYER_CLIENT_ID: sandbox.clientId,
  TRUELAYER_CLIENT_SECRET: sandbox.clientSecret,
  TRUELAYER_AUTH_URL: sandbox.url,
  TRUELAYER_API_URL: sandbox.url,
  SMTP_URL: "smtp://127.0.0.1:1",
  EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
});

const { db } = await import("../lib/db");
const { now } = await import("../lib/clock");
const { seedConnection } = await import("../kit/seed");
const { copyFor, reconfirmConnections } = await import("../lib/connections/reconfirm/workflow");
const { getUserConnections } = await import("../lib/connections/store/connections");
const { openSecret } = await import("../lib/connections/sealed-tokens");
const { truelayer } = await import("../lib/connections/truelayer-client");

const target = { sandboxUrl: sandbox.url, clientId: sandbox.clientId, redirectUri: sandbox.redirectUri };
const extendCalls = async () =>
  (await sandbox.controls.calls()).filter((c) => c.path.endsWith("/connections/extend")).length;

let exitCode = 1;
try {
  if (SERVERS > 0) {
    const { runSpike } = await import("./load-reconfirm-http");
    const { result, passed } = await runSpike({
      users: USERS,
      duplicates: DUPLICATES,
      servers: SERVERS,
      basePort: flag("port", 4416),
      pool: POOL,
      concurrency: flag("concurrency", 40),
      faults: { "429": flag("fault-429", 0, 0), "500": flag("fault-500", 0, 0) },
      databaseUrl: baseUrl,
      sandbox,
      env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => !!e[1])),
    });
    report({ ...result, passed });
    process.stdout.write(
      `load-reconfirm: ${USERS} users (+${DUPLICATES} double clicks) through ${SERVERS} production server(s): ` +
        `${result.extendAttempts} extends (${result.answered429} answered 429, ${result.answered500} answered 500), ` +
        `${result.extendedAtBank} extended, ${result.extendedTwice} twice, ${result.lostTokens} tokens lost, ` +
        `${result.untruthfulPages} untruthful pages; action p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms ` +
        `(all done in ${result.wallMs} ms) — ${passed ? "PASS" : "FAIL"}\n`,
    );
    if (!passed) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    exitCode = passed ? 0 : 1;
  } else {
    const seedStart = performance.now();
    const seeded = await inBatches(
      Array.from({ length: USERS }, (_, i) => i),
      SEED_BATCH,
      async () => {
        const user = await db().user.create({
          data: { email: `load-${randomUUID()}@example.test`, name: "Load Tester" },
        });
        const connection = await seedConnection(target, user.id, { password: "eternal" });
        const { hash } = copyFor(await getUserConnections(user.id, [connection.id]), now());
        return { userId: user.id, connectionId: connection.id, hash };
      },
    );
    const seedMs = performance.now() - seedStart;
    const extendsBefore = await extendCalls();

    const submissions = [...seeded, ...seeded.slice(0, DUPLICATES)];
    const wallStart = performance.now();
    const runs = await Promise.all(
      submissions.map(async (s) => {
        const start = performance.now();
        try {
          const result = await reconfirmConnections(
            { connectionId: [s.connectionId], shownConnectionId: [s.connectionId], copyHash: s.hash },
            s.userId,
          );
          const outcome = result.kind === "finished" ? result.outcomes[0]?.outcome : undefined;
          // The first click's own result, or the double click's copy of it: both must be "extended".
          const ok =
            result.kind === "finished" && (outcome?.kind === "extended" || result.outcomes.length === 0);
          return { ms: performance.now() - start, error: ok ? undefined : `${result.kind}/${outcome?.kind}` };
        } catch (error) {
          return { ms: performance.now() - start, error: error instanceof Error ? error.name : "thrown" };
        }
      }),
    );
    const wallMs = performance.now() - wallStart;

    const upstreamExtends = (await extendCalls()) - extendsBefore;
    const rows = await db().connection.findMany({
      where: { id: { in: seeded.map((s) => s.connectionId) } },
      select: { id: true, leaseId: true, refreshTokenSealed: true, events: { select: { type: true } } },
    });
    const extendedCount = rows.map((r) => r.events.filter((e) => e.type === "EXTENDED").length);
    const lost = extendedCount.filter((n) => n === 0).length;
    const duplicated = extendedCount.filter((n) => n > 1).length;
    const failedEvents = rows.reduce((n, r) => n + r.events.filter((e) => e.type === "FAILED").length, 0);
    const leasesLeft = rows.filter((r) => r.leaseId).length;
    // The stored refresh token must be TrueLayer's current one (extend rotated every one of them).
    const staleTokens = (
      await inBatches(rows, SEED_BATCH, async (r): Promise<number> => {
        try {
          await truelayer().refreshToken({ refreshToken: openSecret(r.refreshTokenSealed ?? "") });
          return 0;
        } catch {
          return 1;
        }
      })
    ).reduce((a, b) => a + b, 0);

    const latencies = runs.map((r) => r.ms).sort((a, b) => a - b);
    const errors = runs.filter((r) => r.error);
    const result = {
      users: USERS,
      duplicateSubmissions: DUPLICATES,
      submissions: submissions.length,
      errors: errors.length,
      errorKinds: [...new Set(errors.map((e) => e.error))],
      upstreamExtends,
      lostUpdates: lost,
      duplicatedUpdates: duplicated,
      failedEvents,
      leasesLeft,
      staleTokens,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(latencies.at(-1) ?? 0),
      wallMs: Math.round(wallMs),
      seedMs: Math.round(seedMs),
      dbPool: POOL,
    };
    const passed =
      result.errors === 0 &&
      upstreamExtends === USERS &&
      lost === 0 &&
      duplicated === 0 &&
      failedEvents === 0 &&
      leasesLeft === 0 &&
      staleTokens === 0;
    report({ ...result, passed });
    process.stdout.write(
      `load-reconfirm: ${USERS} users + ${DUPLICATES} duplicate submissions at once on PostgreSQL (pool of ${POOL}): ` +
        `${result.errors} errors, ${upstreamExtends} upstream extends, ${lost} lost, ${duplicated} duplicated, ` +
        `${staleTokens} stale tokens; p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms ` +
        `(all done in ${result.wallMs} ms) — ${passed ? "PASS" : "FAIL"}\n`,
    );
    exitCode = passed ? 0 : 1;
  }
} catch (error) {
  // Said before the teardown, so a teardown that waits can never hide why the run stopped.
  process.stderr.write(`load-reconfirm: FAILED: ${error instanceof Error ? error.stack : String(error)}\n`);
  report({ passed: false, error: error instanceof Error ? error.message : String(error) });
} finally {
  await within(db().$disconnect(), 15_000, "closing the database pool");
  await within(sandbox.close(), 5_000, "stopping the simulator");
  await within(dropDatabase(server.url, server.kind, dbName), 15_000, "dropping the load database");
  await server.stop();
}
process.exit(exitCode);
