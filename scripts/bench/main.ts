import path from "node:path";
import pg from "pg";
import { readStageTimes } from "../lib/stage-times.mjs";
import { auditExportSection } from "./audit-export";
import { type BenchUser, seedLiveConnection, seedUsers } from "./bench-data";
import { firstLoadJs, worksWithoutJs } from "./first-load-js";
import {
  callbackUrlFor,
  durableActionPost,
  floorActionPost,
  measureAlternating,
  measurePages,
  type PreparedSpec,
  reconfirmPost,
  statementsFor,
} from "./http-measures";
import { lighthouseScores } from "./lighthouse";
import { type Sample, timed } from "./load";
import { type BenchResults, type BenchSet, renderReport, type StatementCount, saveReport } from "./report";
import { benchDatabase, startBenchStack } from "./stack";

// `npm run bench` (through scripts/bench.mjs, which builds first and enforces the time limit): the
// budget set, measured SETS times over one seeded stack; every budget is judged on the median of the
// sets' ratios to the floors measured in the same set.

const root = path.resolve(import.meta.dirname, "..", "..");
const SETS = 3;
const ACTIONS_PER_SET = 50;
const CALLBACKS_PER_SET = 15;
const WARM_ACTIONS = 30;
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const only = (users: BenchUser[]): BenchUser => {
  const [user] = users;
  if (!user) throw new Error("seeding made no user");
  return user;
};

async function main() {
  const started = Number(process.env.BENCH_STARTED_AT ?? Date.now());
  const database = await benchDatabase("reconsent_bench");
  say(`database ready (${database.kind})`);
  const stack = await startBenchStack(database.url);
  const { env, metered, queries, upstream } = stack;
  const app = env.APP_URL;
  const client = new pg.Pool({ connectionString: database.url, max: 4 });
  // The kit's seedConnection runs app modules here: point them at the bench's database and simulator.
  Object.assign(process.env, {
    ...env,
    TRUELAYER_AUTH_URL: env.SANDBOX_URL,
    TRUELAYER_API_URL: env.SANDBOX_URL,
  });
  try {
    say("seeding 1,000 users with 3 connections each");
    const users = await seedUsers(client, env, "bu", 1000, [60, 5, 30]);
    const one = only(await seedUsers(client, env, "qa", 1, [5]));
    const ten = only(await seedUsers(client, env, "qb", 1, Array(10).fill(5)));
    const actionOne = only(await seedUsers(client, env, "aa", 1, []));
    const actionTen = only(await seedUsers(client, env, "ac", 1, Array(9).fill(5)));
    // The app allows 10 renewals and 10 connects per user in 10 minutes (lib/security/limits.ts).
    const renewals = SETS * ACTIONS_PER_SET + WARM_ACTIONS;
    const actionUsers = await seedUsers(client, env, "ab", Math.ceil(renewals / 10), []);
    // BENCH_ONLY=callback warms /callback up with WARM_ACTIONS connects of its own before the timed ones.
    const connects = SETS * CALLBACKS_PER_SET + WARM_ACTIONS;
    const callbackUsers = await seedUsers(client, env, "cb", Math.ceil(connects / 10), [60]);
    await client.query("analyze");
    say(`seeding ${renewals} real connections at the simulator for the reconfirm action`);
    const live: { user: BenchUser; id: string }[] = [];
    await Promise.all(
      actionUsers.map(async (user) => {
        for (let i = 0; i < 10; i++) live.push({ user, id: await seedLiveConnection(env, user.id) });
      }),
    );
    const liveOne = await seedLiveConnection(env, actionOne.id);
    const liveTen = await seedLiveConnection(env, actionTen.id);
    const takeLive = () => {
      const next = live.pop();
      if (!next) throw new Error("no live connection left");
      return next;
    };
    const statusIs = (code: number) => (s: number) => s === code;
    const floorAction: PreparedSpec = {
      name: "action floor (POST /bench/action)",
      prepare: (i) => floorActionPost(env, users[i % users.length] ?? only(users)),
      ok: statusIs(303),
    };
    const durableFloor: PreparedSpec = {
      name: "durable action floor (POST /bench/durable)",
      prepare: (i) => durableActionPost(env, users[i % users.length] ?? only(users)),
      ok: statusIs(303),
    };
    const reconfirm: PreparedSpec = {
      name: "reconfirm action (POST, 1 bank)",
      prepare: async () => {
        const next = takeLive();
        return reconfirmPost(env, next.user, next.id);
      },
      ok: statusIs(303),
    };
    let connected = 0;
    const callback: PreparedSpec = {
      name: "/callback (connect a bank)",
      prepare: async () => {
        const user = callbackUsers[connected++ % callbackUsers.length] ?? only(callbackUsers);
        const url = await callbackUrlFor(env, user);
        return () => timed(url, { headers: { cookie: user.cookie } });
      },
      ok: statusIs(303),
    };

    // On the metered server: the same build and database, reached through the statement counter.
    const countStatements = async (): Promise<StatementCount[]> => {
      say("SQL statements per request, 1 and 10 connections");
      const getAs = (route: string, u: BenchUser) => () =>
        timed(`${metered.APP_URL}${route}`, { headers: { cookie: u.cookie } });
      const callbackAs = async (u: BenchUser) => {
        const url = await callbackUrlFor(metered, u);
        return () => timed(url, { headers: { cookie: u.cookie } });
      };
      const counted = async (route: string, one: () => Promise<Sample>, ten: () => Promise<Sample>) => {
        const a = await statementsFor(queries, one);
        const b = await statementsFor(queries, ten);
        return { route, one: a.count, ten: b.count, texts: a.texts };
      };
      const out: StatementCount[] = [];
      for (const route of ["/bench/session", "/connections", "/reconfirm"])
        out.push(await counted(`GET ${route}`, getAs(route, one), getAs(route, ten)));
      out.push(
        await counted(
          "action floor",
          await floorActionPost(metered, one),
          await floorActionPost(metered, ten),
        ),
      );
      out.push(
        await counted(
          "durable action floor",
          await durableActionPost(metered, one),
          await durableActionPost(metered, ten),
        ),
      );
      out.push(
        await counted(
          "reconfirm action (1 bank)",
          await reconfirmPost(metered, actionOne, liveOne),
          await reconfirmPost(metered, actionTen, liveTen),
        ),
      );
      out.push(await counted("GET /callback (connect)", await callbackAs(one), await callbackAs(ten)));
      return out;
    };

    const quick = process.env.BENCH_ONLY;
    if (quick === "action" || quick === "callback") {
      // A quick loop for work on the action's or /callback's cost beside the action floor, printed,
      // nothing written. Runs vary by more than most changes, so compare A, B, A, B.
      const judged = quick === "action" ? reconfirm : callback;
      const count = quick === "action" ? 3 * ACTIONS_PER_SET : SETS * CALLBACKS_PER_SET;
      await measureAlternating([floorAction, durableFloor, judged], WARM_ACTIONS, 60_000, upstream);
      const [floor, durable, action] = await measureAlternating(
        [floorAction, durableFloor, judged],
        count,
        90_000,
        upstream,
      );
      const ms = (n: number | undefined) => `${(n ?? Number.NaN).toFixed(1)} ms`;
      say(
        `action floor p50 ${ms(floor?.latency.p50)}; durable floor p50 ${ms(durable?.latency.p50)}; ${judged.name} own p50 ${ms(action?.own?.p50)}`,
      );
      say(
        `own cost ÷ durable floor at p50: ${((action?.own?.p50 ?? 0) / (durable?.latency.p50 ?? 1)).toFixed(2)}×; ÷ action floor ${((action?.own?.p50 ?? 0) / (floor?.latency.p50 ?? 1)).toFixed(2)}×`,
      );
      await Promise.all([queries.close(), upstream.close()]);
      return;
    }
    if (quick === "statements") {
      // The statement counts and texts alone, printed; nothing written.
      for (const s of await countStatements()) {
        say(`${s.route}: ${s.one} (1 connection), ${s.ten} (10)`);
        for (const text of s.texts) say(`    ${text.slice(0, 400)}`);
      }
      await Promise.all([queries.close(), upstream.close()]);
      return;
    }
    if (quick === "lighthouse") {
      // Lighthouse alone, 3 runs a page, printed; nothing written.
      const user = only(users);
      const outcome = await lighthouseScores(
        app,
        [
          { route: "/" },
          { route: "/connections", cookie: user.cookie },
          { route: "/reconfirm", cookie: user.cookie },
        ],
        3,
      );
      say(JSON.stringify(outcome));
      await Promise.all([queries.close(), upstream.close()]);
      return;
    }

    // Unmeasured, as the pages' warm-up: the first submissions of a fresh server run cold code.
    say("warming up the actions");
    await measureAlternating([floorAction, durableFloor, reconfirm], WARM_ACTIONS, 60_000, upstream);
    const user = only(users);
    const sets: BenchSet[] = [];
    for (let n = 1; n <= SETS; n++) {
      say(`set ${n} of ${SETS}: pages`);
      const [staticFloor, sessionFloor, ...pages] = await measurePages([
        { name: "static floor (/bench/static)", url: `${app}/bench/static`, users: [] },
        { name: "session floor (/bench/session)", url: `${app}/bench/session`, users },
        { name: "dashboard (/connections)", url: `${app}/connections`, users },
        { name: "reconfirmation page (/reconfirm)", url: `${app}/reconfirm`, users },
      ]);
      say(`set ${n} of ${SETS}: action floor, reconfirm action, /callback`);
      // Each judged request alternates with both floors (A, B, C, C, B, A, …): the no-write floor shows what
      // Next's own handling costs, the durable one adds the two commits a renewal and a connect must make.
      const [floorA, durableA, action] = await measureAlternating(
        [floorAction, durableFloor, reconfirm],
        ACTIONS_PER_SET,
        60_000,
        upstream,
      );
      const [floorB, durableB, connect] = await measureAlternating(
        [floorAction, durableFloor, callback],
        CALLBACKS_PER_SET,
        60_000,
        upstream,
      );
      say(`set ${n} of ${SETS}: Lighthouse`);
      const lighthouse = await lighthouseScores(
        app,
        [
          { route: "/" },
          { route: "/connections", cookie: user.cookie },
          { route: "/reconfirm", cookie: user.cookie },
        ],
        1,
      );
      if (
        !staticFloor ||
        !sessionFloor ||
        !floorA ||
        !floorB ||
        !durableA ||
        !durableB ||
        !action ||
        !connect
      )
        throw new Error("a measurement is missing");
      sets.push({
        floors: {
          static: staticFloor,
          session: sessionFloor,
          action: floorA,
          actionBesideCallback: floorB,
          durable: durableA,
          durableBesideCallback: durableB,
        },
        pages,
        action,
        callback: connect,
        lighthouse,
      });
    }

    const statements = await countStatements();

    say("first-load JavaScript");
    const js = {
      hello: await firstLoadJs(app, "/bench/hello"),
      pages: [
        await firstLoadJs(app, "/"),
        await firstLoadJs(app, "/connections", user),
        await firstLoadJs(app, "/reconfirm", user),
      ],
      reconfirmWithoutJs: await worksWithoutJs(app, "/reconfirm", user),
    };
    await client.end();
    await stack.stop();
    await Promise.all([queries.close(), upstream.close()]);
    await database.drop();

    const results: BenchResults = {
      date: new Date(),
      seconds: (Date.now() - started) / 1000,
      database: database.kind === "postgresql" ? "PostgreSQL (local server)" : "embedded PostgreSQL (PGlite)",
      sets,
      statements,
      js,
      npmTest: readStageTimes(root),
    };
    const report = `${renderReport(results)}\n${await auditExportSection()}`;
    saveReport(path.join(root, "docs", "benchmarks.md"), report);
    process.stdout.write(`${report}\n`);
  } finally {
    await client.end().catch(() => {});
    await stack.stop();
    await database.drop().catch(() => {});
  }
}

await main();
