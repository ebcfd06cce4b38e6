import { writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { auditExportSection } from "./audit-export";
import { firstLoadJs, worksWithoutJs } from "./first-load-js";
import { callbackUrlFor, measurePage, measurePrepared, reconfirmPost, statementsFor } from "./http-measures";
import { lighthouseScores } from "./lighthouse";
import { timed } from "./load";
import { benchReminders } from "./reminders";
import { type BenchResults, renderReport } from "./report";
import { type BenchUser, seedLiveConnection, seedUsers } from "./seed";
import { benchDatabase, startBenchStack } from "./stack";

// `npm run bench` (through scripts/bench.mjs, which builds first and enforces the time limit).

const root = path.resolve(import.meta.dirname, "..", "..");
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const only = (users: BenchUser[]): BenchUser => {
  const [user] = users;
  if (!user) throw new Error("seeding made no user");
  return user;
};

async function main() {
  const started = performance.now();
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
    const actionUsers = await seedUsers(client, env, "ab", 10, []);
    const warmUsers = await seedUsers(client, env, "aw", 6, []);
    const callbackUsers = await seedUsers(client, env, "cb", 5, [60]);
    await client.query("analyze");
    say("seeding 160 real connections at the simulator for the reconfirm action");
    const seedLive = async (users: BenchUser[]) => {
      const out: { user: BenchUser; id: string }[] = [];
      await Promise.all(
        users.map(async (user) => {
          for (let i = 0; i < 10; i++) out.push({ user, id: await seedLiveConnection(env, user.id) });
        }),
      );
      return out;
    };
    const live = await seedLive(actionUsers);
    const warm = await seedLive(warmUsers);
    const liveOne = await seedLiveConnection(env, actionOne.id);
    const liveTen = await seedLiveConnection(env, actionTen.id);

    const submitEach = (name: string, list: typeof live, maxMs: number) =>
      measurePrepared(
        name,
        list.length,
        maxMs,
        (i) => {
          const next = list[i];
          if (!next) throw new Error(`${name}: no live connection left`);
          return reconfirmPost(env, next.user, next.id);
        },
        upstream,
        (s) => s === 303,
      );
    if (process.env.BENCH_ONLY === "action") {
      // A quick loop for work on the action's cost (about a minute): the static floor beside the
      // action, printed, nothing written. Runs vary by more than most changes, so compare A, B, A, B.
      const floor = await measurePage("static floor", () => `${app}/bench/static`, []);
      await submitEach("warm-up", warm, 60_000);
      const action = await submitEach("reconfirm action", live, 90_000);
      const ms = (n: number | undefined) => `${(n ?? Number.NaN).toFixed(1)} ms`;
      say(`static floor p50 ${ms(floor.latency.p50)}; reconfirm action p50 ${ms(action.latency.p50)}`);
      say(`reconfirm action's own cost p50 ${ms(action.own?.p50)}, p99 ${ms(action.own?.p99)}`);
      await Promise.all([queries.close(), upstream.close()]);
      return;
    }

    say("pages: floors, dashboard, reconfirmation");
    const floors = {
      static: await measurePage("static floor (/bench/static)", () => `${app}/bench/static`, []),
      session: await measurePage("session floor (/bench/session)", () => `${app}/bench/session`, users),
    };
    const routes = [
      await measurePage("dashboard (/connections)", () => `${app}/connections`, users),
      await measurePage("reconfirmation page (/reconfirm)", () => `${app}/reconfirm`, users),
    ];
    say("reconfirm action and /callback");
    // Unmeasured, as the pages' warm-up: the first submissions of a fresh server run cold code.
    await submitEach("warm-up", warm, 60_000);
    routes.push(
      await submitEach("reconfirm action (POST, 1 bank)", live, 90_000),
      await measurePrepared(
        "/callback (connect a bank)",
        40,
        60_000,
        async (i) => {
          const user = callbackUsers[i % callbackUsers.length] ?? only(callbackUsers);
          const url = await callbackUrlFor(env, user);
          return () => timed(url, { headers: { cookie: user.cookie } });
        },
        upstream,
        (s) => s === 303,
      ),
    );

    say("SQL statements per request, 1 and 10 connections");
    // On the metered server: the same build and database, reached through the statement counter.
    const getAs = (route: string, user: BenchUser) => () =>
      timed(`${metered.APP_URL}${route}`, { headers: { cookie: user.cookie } });
    const statements = [];
    for (const route of ["/bench/session", "/connections", "/reconfirm"]) {
      statements.push({
        route: `GET ${route}`,
        one: await statementsFor(queries, getAs(route, one)),
        ten: await statementsFor(queries, getAs(route, ten)),
      });
    }
    statements.push({
      route: "reconfirm action (1 bank)",
      one: await statementsFor(queries, await reconfirmPost(metered, actionOne, liveOne)),
      ten: await statementsFor(queries, await reconfirmPost(metered, actionTen, liveTen)),
    });
    const callbackAs = async (user: BenchUser) => {
      const url = await callbackUrlFor(metered, user);
      return () => timed(url, { headers: { cookie: user.cookie } });
    };
    statements.push({
      route: "GET /callback (connect)",
      one: await statementsFor(queries, await callbackAs(one)),
      ten: await statementsFor(queries, await callbackAs(ten)),
    });

    say("first-load JavaScript");
    const user = only(users);
    const js = {
      hello: await firstLoadJs(app, "/bench/hello"),
      pages: [
        await firstLoadJs(app, "/"),
        await firstLoadJs(app, "/connections", user),
        await firstLoadJs(app, "/reconfirm", user),
      ],
      reconfirmWithoutJs: await worksWithoutJs(app, "/reconfirm", user),
    };

    say("Lighthouse");
    const lighthouse = await lighthouseScores(app, [
      { route: "/" },
      { route: "/connections", cookie: user.cookie },
      { route: "/reconfirm", cookie: user.cookie },
    ]);
    await client.end();
    await stack.stop();
    await Promise.all([queries.close(), upstream.close()]);
    await database.drop();

    say("reminder job over 100,000 connections");
    const reminders = await benchReminders();
    const results: BenchResults = {
      date: new Date(),
      seconds: (performance.now() - started) / 1000,
      database: database.kind === "postgresql" ? "PostgreSQL (local server)" : "embedded PostgreSQL (PGlite)",
      routes,
      floors,
      statements,
      js,
      lighthouse,
      reminders,
    };
    const report = `${renderReport(results)}\n${await auditExportSection()}`;
    writeFileSync(path.join(root, "docs", "benchmarks.md"), report);
    process.stdout.write(`${report}\n`);
  } finally {
    await client.end().catch(() => {});
    await stack.stop();
    await database.drop().catch(() => {});
  }
}

await main();
