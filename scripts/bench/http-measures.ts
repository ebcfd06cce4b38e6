import type { BenchUser } from "./bench-data";
import { findForm, formBody } from "./forms";
import { drive, expectStatus, type Sample, type Stats, stats, timed } from "./load";
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

const ROUNDS = { rounds: 150, maxMs: 8_000 };
const THROUGHPUT = { concurrency: 8, maxRequests: 2_000, maxMs: 2_500 };

export type PageSpec = { name: string; url: string; users: BenchUser[] };

const getter = (page: PageSpec) => (i: number) => {
  const user = page.users[i % page.users.length];
  return timed(page.url, user ? { headers: { cookie: user.cookie } } : {});
};

/**
 * Latency, one request at a time, in rounds that visit every page once (A, B, C, A, B, C, each round
 * starting one page later), so a floor and the pages judged against it share the machine's moods;
 * then each page's req/s, 8 at a time.
 */
export async function measurePages(pages: PageSpec[]): Promise<RouteResult[]> {
  const gets = pages.map(getter);
  for (const get of gets) await drive(get, { concurrency: 4, maxRequests: 30, maxMs: 3_000 }); // warm-up
  const samples = pages.map((): Sample[] => []);
  const started = performance.now();
  for (let round = 0; round < ROUNDS.rounds && performance.now() - started < ROUNDS.maxMs; round++) {
    for (let k = 0; k < pages.length; k++) {
      const at = (round + k) % pages.length;
      const get = gets[at];
      if (get) samples[at]?.push(await get(round));
    }
  }
  const results: RouteResult[] = [];
  for (const [at, page] of pages.entries()) {
    const get = gets[at];
    const slow = samples[at] ?? [];
    if (!get) continue;
    const fast = await drive(get, THROUGHPUT);
    expectStatus([...slow, ...fast.samples], (s) => s === 200, page.name);
    results.push({
      name: page.name,
      latency: stats(slow.map((s) => s.ms)),
      throughput: stats(
        fast.samples.map((s) => s.ms),
        fast.wallMs,
      ),
    });
  }
  return results;
}

/** SQL statements one request sends (their count and texts), read off the wire once the response has been
 * read and the work it left for after the response (`after()`) has had 60 ms to start. */
export async function statementsFor(
  queries: QueryCounter,
  send: () => Promise<Sample>,
): Promise<{ count: number; texts: string[] }> {
  await new Promise((r) => setTimeout(r, 30));
  const before = queries.count();
  await send();
  await new Promise((r) => setTimeout(r, 60));
  const texts = queries.texts(before);
  return { count: texts.length, texts };
}

const originHeaders = (env: BenchEnv, user: BenchUser) => ({ cookie: user.cookie, origin: env.APP_URL });

/** A no-JavaScript form post from `page` (the form whose button matches): [prepare, send]. */
async function formPost(env: BenchEnv, user: BenchUser, page: string, button: RegExp) {
  const html = await (await fetch(page, { headers: { cookie: user.cookie } })).text();
  const form = findForm(html, button);
  return () => timed(page, { method: "POST", headers: originHeaders(env, user), body: formBody(form) });
}

/** The no-JavaScript "Yes, keep sharing" post for one connection. */
export const reconfirmPost = (env: BenchEnv, user: BenchUser, connectionId: string) =>
  formPost(
    env,
    user,
    `${env.APP_URL}/reconfirm?connection=${encodeURIComponent(connectionId)}`,
    /Yes, keep sharing/,
  );

/** The action floor's post (app/bench/action). */
export const floorActionPost = (env: BenchEnv, user: BenchUser) =>
  formPost(env, user, `${env.APP_URL}/bench/action`, /Run the floor action/);

/** The durable action floor's post (app/bench/durable). */
export const durableActionPost = (env: BenchEnv, user: BenchUser) =>
  formPost(env, user, `${env.APP_URL}/bench/durable`, /Run the durable floor action/);

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

export type PreparedSpec = {
  name: string;
  prepare: (i: number) => Promise<() => Promise<Sample>>;
  ok: (status: number) => boolean;
};

/**
 * Requests that each need their own preparation (a fresh form or code), one at a time, alternating
 * between the specs (A, B, B, A, A, B, …) so a floor and what is judged against it are timed side by
 * side. *Own* is the time minus what the upstream timer saw the app wait on TrueLayer.
 */
export async function measureAlternating(
  specs: PreparedSpec[],
  count: number,
  maxMs: number,
  upstream: UpstreamTimer,
): Promise<RouteResult[]> {
  const samples = specs.map((): Sample[] => []);
  const own = specs.map((): number[] => []);
  const calls = specs.map(() => 0);
  const started = performance.now();
  for (let i = 0; i < count && performance.now() - started < maxMs; i++) {
    for (let k = 0; k < specs.length; k++) {
      const at = i % 2 === 0 ? k : specs.length - 1 - k;
      const spec = specs[at];
      if (!spec) continue;
      const send = await spec.prepare(i);
      const before = upstream.totals();
      const sample = await send();
      const after = upstream.totals();
      samples[at]?.push(sample);
      own[at]?.push(sample.ms - (after.ms - before.ms));
      calls[at] = (calls[at] ?? 0) + after.calls - before.calls;
    }
  }
  return specs.map((spec, at) => {
    const mine = samples[at] ?? [];
    expectStatus(mine, spec.ok, spec.name);
    const latency = stats(mine.map((s) => s.ms));
    return {
      name: spec.name,
      latency,
      throughput: latency,
      own: stats(own[at] ?? []),
      upstreamCalls: mine.length ? (calls[at] ?? 0) / mine.length : 0,
    };
  });
}
