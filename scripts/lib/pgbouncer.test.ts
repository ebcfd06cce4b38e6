import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { canConnect } from "./database.mjs";
import {
  ensurePgbouncer,
  type PgbouncerFacts,
  pgbouncerConfig,
  pgbouncerPath,
  pgbouncerPlan,
  startPgbouncer,
} from "./pgbouncer.mjs";

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(Boolean(socket.destroy())));
    socket.once("error", () => resolve(false));
  });

const none: PgbouncerFacts = { found: null, isRoot: false, passwordlessSudo: false, hasAptGet: true };

describe("pgbouncerPlan: what npm test does about PgBouncer", () => {
  it("uses one that is there, installs as root or through passwordless sudo, else says what to run", () => {
    expect(pgbouncerPlan({ ...none, found: "/usr/sbin/pgbouncer" })).toEqual({
      kind: "found",
      path: "/usr/sbin/pgbouncer",
    });
    expect(pgbouncerPlan({ ...none, isRoot: true })).toMatchObject({
      kind: "install",
      commands: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "pgbouncer"],
      ],
    });
    expect(pgbouncerPlan({ ...none, passwordlessSudo: true })).toMatchObject({
      commands: [
        expect.arrayContaining(["sudo", "-n", "apt-get"]),
        expect.arrayContaining(["sudo", "-n", "pgbouncer"]),
      ],
    });
    expect(pgbouncerPlan(none)).toEqual({ kind: "cannot", advice: "sudo apt-get install -y pgbouncer" });
    expect(pgbouncerPlan({ ...none, isRoot: true, hasAptGet: false })).toMatchObject({
      kind: "cannot",
      advice: expect.stringContaining("PGBOUNCER_PATH"),
    });
  });
});

describe("ensurePgbouncer (the runner is recorded, nothing is installed)", () => {
  function harness(facts: PgbouncerFacts, statuses: number[], after: string | null = "/usr/sbin/pgbouncer") {
    const ran: string[] = [];
    const said: string[] = [];
    const result = ensurePgbouncer({
      facts,
      run: (command, args) => {
        ran.push([command, ...args].join(" "));
        return statuses.shift() ?? 0;
      },
      recheck: () => after,
      say: (line) => said.push(line),
      logFile: "/tmp/apt.log",
    });
    return { result, ran, said };
  }

  it("installs straight away when the package lists allow, saying so once with the log", () => {
    const { result, ran, said } = harness({ ...none, isRoot: true }, [0]);
    expect(result).toEqual({ path: "/usr/sbin/pgbouncer" });
    expect(ran).toEqual(["apt-get install -y -qq --no-install-recommends pgbouncer"]);
    expect(said).toEqual([expect.stringMatching(/installing Debian's pgbouncer .*\(log: \/tmp\/apt\.log\)/)]);
  });

  it("updates the package lists and retries when the first install fails, and stops with the command when that fails", () => {
    expect(harness({ ...none, isRoot: true }, [100, 0, 0]).ran).toEqual([
      "apt-get install -y -qq --no-install-recommends pgbouncer",
      "apt-get update -qq",
      "apt-get install -y -qq --no-install-recommends pgbouncer",
    ]);
    const failed = harness({ ...none, passwordlessSudo: true }, [100, 100]);
    expect(failed.result.problem).toMatch(
      /failed \(see \/tmp\/apt\.log\)\. Run: sudo apt-get install -y pgbouncer/,
    );
    const cannot = harness(none, []);
    expect(cannot.ran).toEqual([]);
    expect(cannot.result.problem).toContain("Run: sudo apt-get install -y pgbouncer");
  });
});

describe("the pooler npm test starts", () => {
  it("pools in transaction mode on loopback, in front of the given server", () => {
    const config = pgbouncerConfig({
      upstream: "postgresql://postgres@127.0.0.1:5433/test",
      port: 6500,
      authFile: "/t/u",
    });
    expect(config).toContain("* = host=127.0.0.1 port=5433");
    expect(config).toContain("pool_mode = transaction");
    expect(config).toContain("listen_addr = 127.0.0.1");
    expect(config).not.toContain("ignore_startup_parameters");
  });

  it.runIf(pgbouncerPath() && inject("testDatabaseKind") === "postgresql")(
    "goes with a run that is stopped by a signal",
    async () => {
      const upstream = new URL(inject("testDatabaseUrl"));
      upstream.search = "";
      const module = path.resolve(import.meta.dirname, "pgbouncer.mjs");
      const child = spawn(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `import { startPgbouncer } from ${JSON.stringify(module)};
           const b = await startPgbouncer({ binary: ${JSON.stringify(pgbouncerPath())}, upstream: ${JSON.stringify(upstream.toString())} });
           process.stdout.write(String(b.port) + "\\n"); setInterval(() => {}, 1000);`,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      const port = await new Promise<number>((resolve) =>
        child.stdout.once("data", (d) => resolve(Number(String(d).trim()))),
      );
      expect(await listening(port)).toBe(true);
      const exited = new Promise((resolve) => child.once("exit", (_, signal) => resolve(signal)));
      child.kill("SIGTERM");
      expect(await exited).toBe("SIGTERM");
      await new Promise((r) => setTimeout(r, 300));
      expect(await listening(port)).toBe(false);
    },
    30_000,
  );

  it.runIf(pgbouncerPath() && inject("testDatabaseKind") === "postgresql")(
    "answers through its own port, then stops and leaves nothing listening",
    async () => {
      const upstream = new URL(inject("testDatabaseUrl"));
      upstream.search = "";
      const bouncer = await startPgbouncer({ binary: pgbouncerPath() ?? "", upstream: upstream.toString() });
      expect(bouncer.url).toContain("pgbouncer=true");
      expect(await canConnect(bouncer.url)).toBe(true);
      expect(statSync(path.join(path.dirname(bouncer.log), "users.txt")).mode & 0o077).toBe(0);
      await bouncer.stop();
      expect(await listening(bouncer.port)).toBe(false);
    },
    30_000,
  );
});
