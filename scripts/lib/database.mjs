// Finds or starts the PostgreSQL that tests and the demo use. Plain JS so scripts need no build step.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..", "..");
export const LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test";

export async function canConnect(url, timeoutMs = 2000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`The embedded database did not open port ${port} in time.`);
}

/**
 * Starts PGlite behind a PostgreSQL socket (pglite-server), so the app reaches it through the same
 * driver and DATABASE_URL path as production. `dataDir` null keeps it in memory.
 */
export async function startEmbedded({ dataDir = null, port } = {}) {
  const chosen = port ?? (await freePort());
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const bin = path.join(
    root,
    "node_modules",
    "@electric-sql",
    "pglite-socket",
    "dist",
    "scripts",
    "server.js",
  );
  const child = spawn(
    process.execPath,
    [bin, `--db=${dataDir ?? "memory://"}`, `--port=${chosen}`, "--host=127.0.0.1", "--max-connections=20"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await Promise.race([
    waitForPort(chosen, 30_000),
    exited.then(() => {
      throw new Error("The embedded database stopped while starting.");
    }),
  ]);
  return {
    // One connection per client: pglite-server interleaves concurrent connections' protocol messages.
    url: `postgresql://postgres@127.0.0.1:${chosen}/postgres?connection_limit=1&pgbouncer=true`,
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}

/**
 * The database tests run against: TEST_DATABASE_URL, else the local PostgreSQL when it answers,
 * else an in-memory embedded one (also forced with TEST_DATABASE=embedded).
 */
export async function resolveTestDatabase() {
  const forced = process.env.TEST_DATABASE;
  if (forced !== "embedded") {
    const candidate = process.env.TEST_DATABASE_URL || LOCAL_POSTGRES;
    if (await canConnect(candidate)) return { url: candidate, kind: "postgresql", stop: async () => {} };
    if (process.env.TEST_DATABASE_URL || forced === "postgresql") {
      throw new Error(`TEST_DATABASE_URL does not answer: ${redactUrl(candidate)}`);
    }
  }
  const embedded = await startEmbedded();
  return { ...embedded, kind: "embedded" };
}

/** A fresh, empty database next to `adminUrl` on real PostgreSQL; the embedded server has only one. */
export async function freshDatabase(adminUrl, kind, name) {
  if (kind === "embedded") {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query("drop schema if exists public cascade; create schema public");
    await client.end();
    return adminUrl;
  }
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists "${name}" with (force)`);
  await client.query(`create database "${name}"`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl, kind, name) {
  if (kind === "embedded") return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists "${name}" with (force)`).catch(() => {});
  await client.end();
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Drops `<prefix><pid>…` databases left by runs whose process has ended (crashed or finished). */
export async function dropStaleDatabases(adminUrl, kind, prefix) {
  if (kind === "embedded") return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query("select datname from pg_database where datname like $1", [
      `${prefix}%`,
    ]);
    for (const { datname } of rows) {
      const pid = Number(/^\D*(\d+)/.exec(datname.slice(prefix.length))?.[1]);
      if (pid && pid !== process.pid && !alive(pid)) {
        await client.query(`drop database if exists "${datname}" with (force)`).catch(() => {});
      }
    }
  } finally {
    await client.end();
  }
}

export function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
