// Starts and stops the child processes of a local stack, and waits for them to answer.
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import path from "node:path";

const children = new Set();
let reaper;

/**
 * The watcher that stops every child's group once this process is gone, whatever ended it
 * (scripts/lib/reaper.mjs). Started with the first child; it never keeps this process alive.
 */
function watch(child) {
  if (!reaper) {
    reaper = spawn(process.execPath, [path.join(import.meta.dirname, "reaper.mjs")], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    reaper.unref();
    reaper.stdin.unref();
    reaper.stdin.on("error", () => {});
  }
  reaper.stdin.write(`+${child.pid}\n`);
}

/** Signals a child's whole process group (tsx and next start grandchildren of their own). */
function signal(child, name) {
  try {
    process.kill(-child.pid, name);
  } catch {
    child.kill(name);
  }
}

// However this process ends (a runner that fails after its global setup, an uncaught error), the
// stack goes with it instead of holding the ports for the next run: at once on an exit Node sees, and
// through the reaper when a signal ends the process without one.
process.once("exit", () => {
  for (const child of children) signal(child, "SIGTERM");
});

/** `logFile` keeps everything a child prints (the secret scan reads it); `quiet` hides its stdout. */
export function start(name, command, args, { env = process.env, cwd, quiet = false, logFile } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.add(child);
  if (child.pid) watch(child);
  const prefix = (line) => `[${name}] ${line}`;
  for (const [stream, echo] of [
    [child.stdout, !quiet],
    [child.stderr, true],
  ]) {
    let buffer = "";
    stream.on("data", (chunk) => {
      if (logFile) appendFileSync(logFile, chunk);
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      if (echo) for (const line of lines) if (line.trim()) process.stdout.write(`${prefix(line)}\n`);
    });
  }
  child.once("exit", (code, signal) => {
    children.delete(child);
    if (!stopping && code !== 0) process.stderr.write(prefix(`stopped (${signal ?? `exit ${code}`})\n`));
  });
  return child;
}

/** The process ids of the children still running (each leads a process group of its own). */
export function childPids() {
  return [...children].map((child) => child.pid);
}

export async function waitForHttp(url, { timeoutMs = 120_000, name = url } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not answer at ${url} in time (${last}).`);
}

let stopping = false;

export async function stopAll() {
  stopping = true;
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise((resolve) => {
          child.once("exit", resolve);
          signal(child, "SIGTERM");
          setTimeout(() => {
            signal(child, "SIGKILL");
            resolve();
          }, 5000).unref();
        }),
    ),
  );
}

/** SIGTERM, then SIGKILL after 5 s, for processes a script spawned itself; resolves when all have exited. */
export function stopChildren(list) {
  return Promise.all(
    list.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 5000).unref();
        }),
    ),
  );
}

export function stopOnSignals(extra = async () => {}) {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(signal, async () => {
      await stopAll();
      await extra();
      process.exit(130);
    });
  }
}
