import { findForm, formBody } from "./forms";
import { drive, expectStatus, type Sample, type Stats, stats, timed } from "./load";
import type { BenchUser } from "./seed";
import type { BenchEnv } from "./stack";
import type { UpstreamTimer } from "./upstream-timer";
import type { QueryCounter } from "./wire-counter";

// Latency, throughput and SQL statements per request for pages, the reconfirm action and /callback.

export type RouteResult = {
  name: string;
  latency: Stats;
  throughput: Stats;
  /** Server time minus time waiting on TrueLayer, for the action and /callback. */
  own?: Stats;
  upstreamCalls?: number;
};

const LATENCY = { concurrency: 1, maxRequests: 400, maxMs: 8_000 };
const THROUGHPUT = { concurrency: 8, maxRequests: 4_000, maxMs: 6_000 };

export async function measurePage(
  name: string,
  url: (i: number) => string,
  users: BenchUser[],
): Promise<RouteResult> {
  const get = (i: number) => {
    const user = users[i % users.length];
    return timed(url(i), user ? { headers: { cookie: user.cookie } } : {});
  };
  await drive(get, { concurrency: 4, maxRequests: 60, maxMs: 5_000 }); // warm-up
  const slow = await drive(get, LATENCY);
  const fast = await drive(get, THROUGHPUT);
  expectStatus([...slow.samples, ...fast.samples], (s) => s === 200, name);
  return {
    name,
    latency: stats(slow.samples.map((s) => s.ms)),
    throughput: stats(
      fast.samples.map((s) => s.ms),
      fast.wallMs,
    ),
  };
}

/** SQL statements one request sends, read off the wire once the response has been read. */
export async function statementsFor(queries: QueryCounter, send: () => Promise<Sample>): Promise<number> {
  await new Promise((r) => setTimeout(r, 30));
  const before = queries.count();
  await send();
  await new Promise((r) => setTimeout(r, 60));
  return queries.count() - before;
}

const originHeaders = (env: BenchEnv, user: BenchUser) => ({ cookie: user.cookie, origin: env.APP_URL });

/** The no-JavaScript "Yes, keep sharing" post for one connection: [prepare, send]. */
export async function reconfirmPost(env: BenchEnv, user: BenchUser, connectionId: string) {
  const page = `${env.APP_URL}/reconfirm?connection=${encodeURIComponent(connectionId)}`;
  const html = await (await fetch(page, { headers: { cookie: user.cookie } })).text();
  const form = findForm(html, /Yes, keep sharing/);
  return () => timed(page, { method: "POST", headers: originHeaders(env, user), body: formBody(form) });
}

/** Starts connecting a bank (no-JS connect form), passes the simulator's dialog, returns the /callback URL. */
export async function callbackUrlFor(env: BenchEnv, user: BenchUser): Promise<string> {
  const { completeDialog } = await import("../../sandbox/client/dialog");
  const page = `${env.APP_URL}/connections`;
  const html = await (await fetch(page, { headers: { cookie: user.cookie } })).text();
  const form = findForm(html, /Connect a bank/);
  const res = await fetch(page, {
    method: "POST",
    headers: originHeaders(env, user),
    body: formBody(form),
    redirect: "manual",
  });
  const location = res.headers.get("location");
  if (res.status !== 303 || !location) throw new Error(`connect answered ${res.status}`);
  // The link points at the timing proxy; the dialog itself is not what is measured.
  const link = new URL(location);
  const sandbox = new URL(env.SANDBOX_URL);
  link.host = sandbox.host;
  const outcome = await completeDialog(link.toString(), { username: "john", password: "eternal" });
  return outcome.callbackUrl;
}

/** Times requests that each need their own preparation (a fresh form or code), one at a time. */
export async function measurePrepared(
  name: string,
  count: number,
  maxMs: number,
  prepare: (i: number) => Promise<() => Promise<Sample>>,
  upstream: UpstreamTimer,
  ok: (status: number) => boolean,
): Promise<RouteResult> {
  const samples: Sample[] = [];
  const own: number[] = [];
  let calls = 0;
  const started = performance.now();
  for (let i = 0; i < count && performance.now() - started < maxMs; i++) {
    const send = await prepare(i);
    const before = upstream.totals();
    const sample = await send();
    const after = upstream.totals();
    samples.push(sample);
    own.push(sample.ms - (after.ms - before.ms));
    calls += after.calls - before.calls;
  }
  expectStatus(samples, ok, name);
  const latency = stats(samples.map((s) => s.ms));
  return {
    name,
    latency,
    throughput: latency,
    own: stats(own),
    upstreamCalls: samples.length ? calls / samples.length : 0,
  };
}
