import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// Issue 30 item 8: a CI time-out sends SIGTERM to the test command's process group, and the browser
// tests' servers (in groups of their own) kept running and holding their ports. Here a stand-in for the
// test command starts the simulator and the inbox exactly as the stack does (scripts/stack.mjs), in a
// process group of its own as a CI job's command is, and then ends each way a run can end.

const root = path.resolve(import.meta.dirname, "..");
const drivers: ChildProcess[] = [];
const servers: number[] = [];
const dirs: string[] = [];

afterEach(() => {
  // Whatever a failing test left behind, so it cannot disturb the next one.
  for (const driver of drivers.splice(0)) if (driver.pid) signalGroup(driver.pid, "SIGKILL");
  for (const group of servers.splice(0)) signalGroup(group, "SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function signalGroup(group: number, signal: NodeJS.Signals) {
  try {
    process.kill(-group, signal);
  } catch {
    // Already gone.
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Live (not zombie) processes in a process group, read from /proc. */
function liveInGroup(group: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const [state, , pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(pgid) === group && state !== "Z" ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

type Ending = "SIGTERM" | "SIGINT" | "SIGHUP" | "SIGKILL" | "exit" | "throw";

const DRIVER = `
import { startLocalServices } from ${JSON.stringify(path.join(root, "scripts", "stack.mjs"))};
import { childPids } from ${JSON.stringify(path.join(root, "scripts", "lib", "processes.mjs"))};
await startLocalServices({ env: process.env, quiet: true });
process.stdout.write(JSON.stringify({ pids: childPids() }) + "\\n");
const ending = process.env.ENDING;
if (ending === "exit" || ending === "throw") {
  await new Promise((resolve) => process.stdin.once("data", resolve));
  if (ending === "exit") process.exit(0);
  throw new Error("the run failed");
}
setInterval(() => {}, 1000);
`;

/** Starts the stand-in, waits for both servers, ends it the given way; resolves with what it started. */
async function startAndEnd(ending: Ending) {
  const dir = mkdtempSync(path.join(tmpdir(), "stack-stop-"));
  dirs.push(dir);
  const [sandbox, inboxHttp, inboxSmtp] = [await freePort(), await freePort(), await freePort()];
  const driver = spawn(process.execPath, ["--input-type=module", "-e", DRIVER], {
    cwd: root,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      ENDING: ending,
      SANDBOX_PORT: String(sandbox),
      SANDBOX_MODE: "test",
      SANDBOX_DATA_FILE: path.join(dir, "sandbox.json"),
      TRUELAYER_API_URL: `http://127.0.0.1:${sandbox}`,
      INBOX_HTTP_PORT: String(inboxHttp),
      INBOX_SMTP_PORT: String(inboxSmtp),
      MAIL_INBOX_URL: `http://127.0.0.1:${inboxHttp}`,
      SANDBOX_CONTROL_TOKEN: "stack-stop-test",
      INBOX_API_TOKEN: "stack-stop-test",
    },
  });
  drivers.push(driver);
  let out = "";
  let err = "";
  driver.stderr?.on("data", (chunk) => {
    err += chunk;
  });
  const started = await new Promise<{ pids: number[] }>((resolve, reject) => {
    driver.stdout?.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line) as { pids: number[] });
    });
    driver.once("exit", (code) =>
      reject(new Error(`the stand-in stopped (${code}) before its servers ran:\n${err}`)),
    );
  });
  servers.push(...started.pids);
  const ports = [sandbox, inboxHttp, inboxSmtp];
  for (const port of ports) expect(await listening(port), `port ${port} before`).toBe(true);
  const pid = driver.pid ?? 0;
  if (ending.startsWith("SIG")) signalGroup(pid, ending as NodeJS.Signals);
  else driver.stdin?.write("end\n");
  return { pids: started.pids, ports, driver: pid };
}

async function expectAllGone({ pids, ports }: { pids: number[]; ports: number[] }, withinMs: number) {
  const deadline = Date.now() + withinMs;
  const holding = async () => {
    const open = [];
    for (const port of ports) if (await listening(port)) open.push(`port ${port}`);
    return [...open, ...pids.flatMap((group) => liveInGroup(group).map((p) => `process ${p}`))];
  };
  let left = await holding();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = await holding();
  }
  expect(left).toEqual([]);
}

describe.skipIf(!existsSync("/proc/self/stat"))(
  "the local stack ends with the command that started it",
  () => {
    for (const ending of ["SIGTERM", "SIGINT", "SIGHUP", "SIGKILL", "exit", "throw"] as const) {
      it(`${ending.startsWith("SIG") ? `${ending} to the command's process group` : `a ${ending === "exit" ? "normal exit" : "thrown error"}`}: ports free, servers gone`, async () => {
        const run = await startAndEnd(ending);
        expect(run.pids).toHaveLength(2);
        // SIGKILL leaves no chance to say goodbye: the grace period before the reaper's own SIGKILL.
        await expectAllGone(run, 15_000);
      }, 60_000);
    }
  },
);
