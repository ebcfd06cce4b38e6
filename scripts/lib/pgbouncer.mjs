// Debian's PgBouncer in transaction mode in front of the test PostgreSQL, for `npm test`'s pooler stage:
// installed with apt-get when the machine allows it (as for Chromium), started on its own port with a
// temporary configuration, and stopped whatever happens.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { aptPlan, machineFactsFor, runLogged } from "./apt-package.mjs";
import { canConnect, freePort } from "./database.mjs";

export function pgbouncerPath() {
  const candidates = [process.env.PGBOUNCER_PATH, "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].filter(
    Boolean,
  );
  return candidates.find((p) => existsSync(p)) ?? null;
}

const PGBOUNCER = {
  pkg: "pgbouncer",
  name: "PgBouncer",
  envVar: "PGBOUNCER_PATH",
  installFlags: ["--no-install-recommends"],
};

export const pgbouncerPlan = (facts) => aptPlan(PGBOUNCER, facts);

export const machineFacts = () => machineFactsFor(pgbouncerPath());

/** The PgBouncer binary, installed if need be, or `{ problem }` with the command to run. */
export function ensurePgbouncer({
  facts = machineFacts(),
  run = runLogged,
  recheck = pgbouncerPath,
  say = (line) => process.stdout.write(`${line}\n`),
  logFile = path.join(tmpdir(), `reconsent-pgbouncer-install-${process.pid}.log`),
} = {}) {
  const plan = pgbouncerPlan(facts);
  if (plan.kind === "found") return { path: plan.path };
  if (plan.kind === "cannot")
    return {
      problem: `PgBouncer was not found, and this machine cannot install it for the pooler stage. Run: ${plan.advice}`,
    };
  say(`PgBouncer was not found: installing Debian's pgbouncer for the pooler stage (log: ${logFile})…`);
  // The package lists may be fresh enough already: update only when the first install fails.
  const [update, install] = plan.commands;
  if (run(install[0], install.slice(1), logFile) !== 0) {
    for (const [command, ...args] of [update, install])
      if (run(command, args, logFile) !== 0)
        return { problem: `Installing PgBouncer failed (see ${logFile}). Run: ${plan.advice}` };
  }
  const installed = recheck();
  return installed
    ? { path: installed }
    : { problem: `apt-get finished but no pgbouncer was found (see ${logFile}).` };
}

/** The configuration: transaction pooling, no TLS, clients trusted on loopback, the server's own login. */
export function pgbouncerConfig({ upstream, port, authFile }) {
  const url = new URL(upstream);
  return [
    "[databases]",
    `* = host=${url.hostname} port=${url.port || 5432}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    "auth_type = trust",
    `auth_file = ${authFile}`,
    "pool_mode = transaction",
    "max_client_conn = 400",
    "default_pool_size = 8",
    "",
  ].join("\n");
}

/** Starts PgBouncer in front of `upstream` (a postgresql:// URL); resolves with the pooled URL and stop(). */
export async function startPgbouncer({ binary, upstream }) {
  const dir = mkdtempSync(path.join(tmpdir(), "reconsent-pgbouncer-"));
  // PgBouncer refuses to run as root and drops to `nobody`, which must read its files.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const target = new URL(upstream);
  const authFile = path.join(dir, "users.txt");
  const nobody = (flag) =>
    Number(spawnSync("id", [flag, "nobody"], { encoding: "utf8" }).stdout.trim() || 65534);
  const quoted = (v) => `"${decodeURIComponent(v).replaceAll('"', '""')}"`;
  writeFileSync(authFile, `${quoted(target.username || "postgres")} ${quoted(target.password)}\n`, {
    mode: 0o600,
  });
  const configFile = path.join(dir, "pgbouncer.ini");
  writeFileSync(configFile, pgbouncerConfig({ upstream, port, authFile }), { mode: 0o644 });
  const log = path.join(dir, "pgbouncer.log");
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  // The login file may hold the server's password: readable by PgBouncer's own user only.
  if (asRoot) chownSync(authFile, nobody("-u"), nobody("-g"));
  const out = openSync(log, "a");
  const child = spawn(binary, [...(asRoot ? ["-u", "nobody"] : []), configFile], {
    stdio: ["ignore", out, out],
  });
  const stopNow = () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL");
  // However npm test ends, PgBouncer goes with it. A signal nobody else handles still ends the run.
  const onSignal = (signal) => {
    stopNow();
    if (process.listenerCount(signal) === 1) {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    }
  };
  const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
  process.once("exit", stopNow);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const exited = new Promise((resolve) => child.once("exit", resolve));

  const pooled = new URL(upstream);
  pooled.hostname = "127.0.0.1";
  pooled.port = String(port);
  pooled.searchParams.set("pgbouncer", "true");
  const stop = async () => {
    process.removeListener("exit", stopNow);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      const killed = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killed);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await canConnect(pooled.toString(), 1000))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = existsSync(log) ? spawnSync("tail", ["-5", log], { encoding: "utf8" }).stdout : "";
      await stop();
      throw new Error(`PgBouncer did not start on port ${port}:\n${why}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: pooled.toString(), port, log, stop };
}
