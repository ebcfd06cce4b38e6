// The renewal spike of scripts/load-reconfirm.ts --servers N: the same users, but each one reconfirms
// through the production build (`next start`, N servers on one database) the way a browser without
// JavaScript does (the page, its form posted, the result page read), while the simulator answers a share
// of extends with 429 or 500. Checked against the simulator's own record of each connection.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { TestSandbox } from "../sandbox/client/start";
import { findForm, formBody } from "./bench/forms";
import { startUpstreamTimer } from "./bench/upstream-timer";
import { stopChildren, waitForHttp } from "./lib/processes.mjs";

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
export const decodeEntities = (html: string) =>
  html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return NAMED[ref.toLowerCase()] ?? whole;
    const code = ref[1]?.toLowerCase() === "x" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
  });

export type SpikeOptions = {
  users: number;
  duplicates: number;
  servers: number;
  basePort: number;
  pool: number;
  concurrency: number;
  /** Percent of extends answered with each fault. */
  faults: { "429": number; "500": number };
  databaseUrl: string;
  sandbox: TestSandbox;
  env: Record<string, string>;
};

const root = path.resolve(import.meta.dirname, "..");
const EXTEND = "/data/v1/connections/extend";
const WAVE = 100;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function inBatches<T, R>(
  items: T[],
  size: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, k) => fn(item, i + k)))));
  return out;
}

function startServers(options: SpikeOptions, truelayerUrl: string) {
  if (!existsSync(path.join(root, ".next", "BUILD_ID")))
    throw new Error("no production build: run `npx next build` (or `npm run bench -- scale`) first");
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const children: ChildProcess[] = [];
  const urls = Array.from({ length: options.servers }, (_, i) => `http://127.0.0.1:${options.basePort + i}`);
  for (const [i, url] of urls.entries()) {
    const child = spawn(
      process.execPath,
      [next, "start", "--port", String(options.basePort + i), "--hostname", "127.0.0.1"],
      {
        cwd: root,
        env: {
          ...process.env,
          ...options.env,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          APP_URL: url,
          DATABASE_URL: `${options.databaseUrl}?connection_limit=${options.pool}`,
          TRUELAYER_AUTH_URL: truelayerUrl,
          TRUELAYER_API_URL: truelayerUrl,
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    children.push(child);
  }
  process.once("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });
  return {
    urls,
    ready: () =>
      Promise.all(urls.map((url) => waitForHttp(`${url}/api/health`, { name: url, timeoutMs: 120_000 }))),
    stop: () => stopChildren(children),
  };
}

type Seeded = { userId: string; connectionId: string; credentialsId: string; cookie: string };
type Visit = { ms: number; status: number; page: string; server: string; location?: string; error?: string };

export async function runSpike(options: SpikeOptions) {
  const { db } = await import("../lib/db");
  const { seedConnection } = await import("../kit/seed");
  const { formatDate } = await import("../lib/format");
  const { openSecret } = await import("../lib/connections/sealed-tokens");
  const { truelayer } = await import("../lib/connections/truelayer-client");
  const { sandbox } = options;
  const upstream = await startUpstreamTimer(sandbox.url);
  const servers = startServers(options, upstream.url);
  // Extend names the app's own /callback: each server's must be registered.
  await sandbox.controls.register({
    clientSecret: sandbox.clientSecret,
    redirectUris: [sandbox.redirectUri, ...servers.urls.map((url) => `${url}/callback`)],
  });
  try {
    const target = { sandboxUrl: sandbox.url, clientId: sandbox.clientId, redirectUri: sandbox.redirectUri };
    const seedStart = performance.now();
    // Consents granted in one launch week: every one ends in 5 days.
    const seeded: Seeded[] = await inBatches(
      Array.from({ length: options.users }, (_, i) => i),
      20,
      async () => {
        const user = await db().user.create({
          data: { email: `spike-${randomUUID()}@example.test`, name: "Spike Tester" },
        });
        const token = randomBytes(24).toString("hex");
        await db().session.create({
          data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 7 * 86_400_000) },
        });
        const c = await seedConnection(target, user.id, { password: "eternal", ageDays: 85 });
        return {
          userId: user.id,
          connectionId: c.id,
          credentialsId: c.credentialsId,
          cookie: `next-auth.session-token=${token}`,
        };
      },
    );
    const seedMs = performance.now() - seedStart;
    await servers.ready();
    const before = upstream.answers();

    const serverFor = (i: number) => servers.urls[i % servers.urls.length] ?? "";
    const visit = async (s: Seeded, server: string, form: FormData, pageUrl: string): Promise<Visit> => {
      const started = performance.now();
      const res = await fetch(pageUrl, {
        method: "POST",
        headers: { cookie: s.cookie, origin: server },
        body: form,
        redirect: "manual",
      });
      await res.arrayBuffer();
      const ms = performance.now() - started;
      const location = res.headers.get("location");
      if (res.status !== 303 || !location)
        return { ms, status: res.status, page: "", server, error: `POST ${res.status}` };
      const page = await (await fetch(new URL(location, server), { headers: { cookie: s.cookie } })).text();
      return { ms, status: res.status, page, server, location: new URL(location, server).toString() };
    };
    const injectWave = async () => {
      for (const kind of ["429", "500"] as const) {
        const count = Math.round((WAVE * options.faults[kind]) / 100);
        if (count > 0) await sandbox.controls.injectFault({ endpoint: "extend", kind, count });
      }
    };
    // Each user on server i % N; a double click sends its second post to the other server.
    const wallStart = performance.now();
    let next = 0;
    const visits: Visit[][] = Array.from({ length: seeded.length }, () => []);
    const worker = async () => {
      for (let i = next++; i < seeded.length; i = next++) {
        if (i % WAVE === 0) await injectWave();
        const s = seeded[i];
        if (!s) continue;
        const server = serverFor(i);
        const pageUrl = `${server}/reconfirm?connection=${encodeURIComponent(s.connectionId)}`;
        const html = await (await fetch(pageUrl, { headers: { cookie: s.cookie } })).text();
        const form = formBody(findForm(html, /Yes, keep sharing/));
        const twice = i < options.duplicates;
        const other = serverFor(i + 1);
        visits[i] = await Promise.all([
          visit(s, server, form, pageUrl),
          ...(twice ? [visit(s, other, form, pageUrl.replace(server, other))] : []),
        ]);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const wallMs = performance.now() - wallStart;
    const after = upstream.answers();
    const answered = (status: number) =>
      (after[`${EXTEND} ${status}`] ?? 0) - (before[`${EXTEND} ${status}`] ?? 0);
    const extendAttempts = Object.keys(after)
      .filter((k) => k.startsWith(`${EXTEND} `))
      .reduce((n, k) => n + (after[k] ?? 0) - (before[k] ?? 0), 0);

    // The truth is the simulator's: a connection it extended now ends ~90 days out, not in 5.
    const simulated = new Map((await sandbox.controls.connections()).map((c) => [c.credentials_id, c]));
    const rows = await db().connection.findMany({
      where: { id: { in: seeded.map((s) => s.connectionId) } },
      select: { id: true, leaseId: true, refreshTokenSealed: true, events: { select: { type: true } } },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    let extendedAtBank = 0;
    let untruthful = 0;
    let toldUnknown = 0;
    const untruthfulExamples: string[] = [];
    for (const [i, s] of seeded.entries()) {
      const sim = simulated.get(s.credentialsId);
      const ends = sim ? new Date(sim.consent_expires_at) : undefined;
      const extended = !!ends && ends.getTime() > Date.now() + 30 * 86_400_000;
      if (extended) extendedAtBank += 1;
      for (const v of visits[i] ?? []) {
        // Read again now that every request has finished: a page must still be true on a reload.
        if (v.location) v.page = await (await fetch(v.location, { headers: { cookie: s.cookie } })).text();
        // The heading's text as a person reads it: tags dropped, HTML's character references decoded (&#x27; is ').
        const h1 = decodeEntities(
          /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(v.page)?.[1]?.replace(/<[^>]+>/g, "") ?? "",
        );
        // "We can't tell whether renewing worked" (a 500 may have been performed) is never untrue.
        const unknown =
          h1.includes("couldn't tell whether it renewed") && v.page.includes("tell whether renewing worked");
        if (unknown) toldUnknown += 1;
        const truthful =
          !v.error &&
          (unknown ||
            (extended && ends
              ? h1.includes(`sharing continues until ${formatDate(ends)}`)
              : h1.includes("not renewed") && v.page.includes("Nothing has changed")));
        if (!truthful) {
          untruthful += 1;
          if (untruthfulExamples.length < 5)
            untruthfulExamples.push(
              `${extended ? "extended" : "not extended"}: ${v.error ?? (h1 || "(no heading)")}`,
            );
        }
      }
    }
    const extendedEvents = rows.map((r) => r.events.filter((e) => e.type === "EXTENDED").length);
    const extendedTwice = extendedEvents.filter((n) => n > 1).length;
    const leasesLeft = rows.filter((r) => r.leaseId).length;
    const lostTokens = (
      await inBatches(rows, 20, async (r): Promise<number> => {
        try {
          await truelayer().refreshToken({
            refreshToken: openSecret(byId.get(r.id)?.refreshTokenSealed ?? ""),
          });
          return 0;
        } catch {
          return 1;
        }
      })
    ).reduce((a, b) => a + b, 0);
    const latencies = visits
      .flat()
      .map((v) => v.ms)
      .sort((a, b) => a - b);
    const result = {
      mode: "http",
      users: options.users,
      servers: options.servers,
      concurrency: options.concurrency,
      duplicateSubmissions: options.duplicates,
      posts: latencies.length,
      extendAttempts,
      answered200: answered(200),
      answered429: answered(429),
      answered500: answered(500),
      extendedAtBank,
      extendedEvents: extendedEvents.reduce((a, b) => a + b, 0),
      extendedTwice,
      lostTokens,
      leasesLeft,
      untruthfulPages: untruthful,
      pagesSayingUnknown: toldUnknown,
      untruthfulExamples,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(latencies.at(-1) ?? 0),
      wallMs: Math.round(wallMs),
      seedMs: Math.round(seedMs),
      dbPoolPerServer: options.pool,
      answers: Object.entries(after).map(([k, v]) => `${k}: ${v - (before[k] ?? 0)}`),
    };
    // A double click may try again after a failed first try; every extension is recorded exactly once.
    const passed =
      extendAttempts >= options.users &&
      extendAttempts <= options.users + options.duplicates &&
      extendedAtBank === result.extendedEvents &&
      extendedAtBank === result.answered200 &&
      extendedTwice === 0 &&
      lostTokens === 0 &&
      leasesLeft === 0 &&
      untruthful === 0;
    return { result, passed };
  } finally {
    await servers.stop();
    await upstream.close();
  }
}
