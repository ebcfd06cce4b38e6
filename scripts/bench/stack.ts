import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sandboxControls } from "../../sandbox/client/controls";
import { dropDatabase, freshDatabase, resolveTestDatabase } from "../lib/database.mjs";
import { localSecrets } from "../lib/env-file.mjs";
import { freshLocalTokens } from "../lib/local-tokens.mjs";
import { stopChildren, waitForHttp } from "../lib/processes.mjs";
import { runPrisma } from "../prisma.mjs";
import { startUpstreamTimer } from "./upstream-timer";
import { startQueryCounter } from "./wire-counter";

const root = path.resolve(import.meta.dirname, "..", "..");

// The bench's own ports (4410-4420), clear of the browser tests', the demo's and the other
// worktrees' blocks on this machine, all on loopback.
export const BENCH_PORTS = {
  app: 4410,
  sandbox: 4411,
  inboxHttp: 4412,
  metered: 4413,
  inboxSmtp: 4414,
  chromiumDebug: 4415,
  /** The scale run's two app servers and their simulator. */
  spikeApps: [4416, 4417],
  spikeSandbox: 4418,
} as const;

export type BenchEnv = {
  APP_URL: string;
  SANDBOX_URL: string;
  DATABASE_URL: string;
  AUTH_SECRET: string;
  TOKEN_ENCRYPTION_KEY: string;
  TOKEN_ENCRYPTION_KEY_ID: string;
  TRUELAYER_CLIENT_ID: string;
  TRUELAYER_CLIENT_SECRET: string;
  [key: string]: string;
};

/** PostgreSQL (the local server; the embedded one when none answers), one fresh database per name. */
export async function benchDatabase(name: string) {
  const server = await resolveTestDatabase();
  const url = await freshDatabase(server.url, server.kind, name);
  const migrated = runPrisma(["migrate", "deploy"], { env: { DATABASE_URL: url }, stdio: "pipe" });
  if (migrated.status !== 0) throw new Error(`Migrations failed:\n${migrated.stderr}`);
  return {
    url,
    kind: server.kind,
    /** Drops the database and stops the server when the bench started one. */
    async drop() {
      await dropDatabase(server.url, server.kind, name);
      await server.stop();
    },
  };
}

/**
 * The production build (`next start`) with the simulator and every TrueLayer call timed. Two app
 * servers: `env` talks to PostgreSQL directly and is the one timed; `metered` goes through the
 * statement counter, whose relay would otherwise add two hops through this process to every statement.
 */
export async function startBenchStack(databaseUrl: string) {
  const scratch = mkdtempSync(path.join(tmpdir(), "reconsent-bench-"));
  const appUrl = `http://127.0.0.1:${BENCH_PORTS.app}`;
  const sandboxUrl = `http://127.0.0.1:${BENCH_PORTS.sandbox}`;
  const queries = await startQueryCounter(databaseUrl);
  const upstream = await startUpstreamTimer(sandboxUrl);
  const secrets = localSecrets("bench");
  const secret = (key: string) => {
    const value = secrets[key];
    if (!value) throw new Error(`no ${key} from localSecrets`);
    return value;
  };
  const env: BenchEnv = {
    RECONSENT_MODE: "test",
    APP_URL: appUrl,
    SANDBOX_URL: sandboxUrl,
    DATABASE_URL: databaseUrl,
    ...secrets,
    AUTH_SECRET: secret("AUTH_SECRET"),
    TOKEN_ENCRYPTION_KEY: secret("TOKEN_ENCRYPTION_KEY"),
    TOKEN_ENCRYPTION_KEY_ID: secret("TOKEN_ENCRYPTION_KEY_ID"),
    TRUELAYER_CLIENT_ID: secret("TRUELAYER_CLIENT_ID"),
    TRUELAYER_CLIENT_SECRET: secret("TRUELAYER_CLIENT_SECRET"),
    TRUELAYER_TARGET: "simulator",
    TRUELAYER_AUTH_URL: upstream.url,
    TRUELAYER_API_URL: upstream.url,
    SANDBOX_PORT: String(BENCH_PORTS.sandbox),
    SANDBOX_MODE: "test",
    SANDBOX_DATA_FILE: path.join(scratch, "sandbox.json"),
    SMTP_URL: `smtp://127.0.0.1:${BENCH_PORTS.inboxSmtp}`,
    EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
    MAIL_INBOX_URL: `http://127.0.0.1:${BENCH_PORTS.inboxHttp}`,
    INBOX_HTTP_PORT: String(BENCH_PORTS.inboxHttp),
    INBOX_SMTP_PORT: String(BENCH_PORTS.inboxSmtp),
    ...freshLocalTokens(),
  };
  const meteredUrl = `http://127.0.0.1:${BENCH_PORTS.metered}`;
  const metered: BenchEnv = { ...env, APP_URL: meteredUrl, DATABASE_URL: queries.url };
  // Not scripts/stack.mjs: it migrates with a blocking call, which would stall the statement counter
  // living in this process. The database is already migrated (benchDatabase).
  const childEnv = { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1" };
  const logFile = path.join(scratch, "stack.log");
  const log = openSync(logFile, "a");
  const children: ChildProcess[] = [];
  const start = (args: string[], extra: Record<string, string> = {}) =>
    children.push(
      spawn(process.execPath, args, {
        env: { ...childEnv, ...extra },
        cwd: root,
        stdio: ["ignore", log, log],
      }),
    );
  process.once("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });
  start([path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "sandbox/main.ts"]);
  await waitForHttp(`${sandboxUrl}/_sandbox/health`, { name: "TrueLayer simulator" });
  // The metered server's bank journeys come back to its own /callback.
  await sandboxControls(sandboxUrl, env.TRUELAYER_CLIENT_ID, env.SANDBOX_CONTROL_TOKEN).register({
    clientSecret: env.TRUELAYER_CLIENT_SECRET,
    redirectUris: [`${appUrl}/callback`, `${meteredUrl}/callback`],
  });
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of the app there when it stops.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  start([...profile, next, "start", "--port", String(BENCH_PORTS.app), "--hostname", "127.0.0.1"]);
  start([next, "start", "--port", String(BENCH_PORTS.metered), "--hostname", "127.0.0.1"], {
    APP_URL: meteredUrl,
    DATABASE_URL: queries.url,
  });
  await waitForHttp(`${appUrl}/api/health`, { name: "Reconsent", timeoutMs: 120_000 });
  await waitForHttp(`${meteredUrl}/api/health`, { name: "Reconsent (metered)", timeoutMs: 120_000 });
  const stop = () => stopChildren(children);
  return { env, metered, queries, upstream, logFile, stop };
}
