import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sandboxControls } from "@/kit";
import { stopSharing } from "@/lib/connections/stop-sharing";
import { createTestConnection, newUser } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { bundleImports, bundleOps } from "./lib/ops-bundle.mjs";

// Finding 5 of issue 28: the operator commands run on a production install (node and the production
// dependencies only, no tsx), fail in one line with a non-zero exit, and show the revoke queue.

const root = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const suite = integrationSuite();
const install = mkdtempSync(path.join(tmpdir(), "reconsent-ops-"));
const bundle = path.join(install, "dist", "ops.mjs");
const DAY = 86_400_000;

// A production install: node_modules holds the production dependency tree (`npm ls --omit=dev`) and nothing else.
function productionNodeModules(): void {
  const listed = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
    cwd: root,
    encoding: "utf8",
  });
  const top = new Set<string>([".prisma"]);
  for (const line of listed.split("\n")) {
    const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)$/.exec(line);
    if (m?.[1] && !line.slice(root.length).match(/node_modules.*node_modules/)) top.add(m[1]);
  }
  for (const name of top) {
    mkdirSync(path.dirname(path.join(install, "node_modules", name)), { recursive: true });
    symlinkSync(path.join(root, "node_modules", name), path.join(install, "node_modules", name));
  }
}

const run = promisify(execFile);
async function ops(args: string[], extra: Record<string, string> = {}, only = false) {
  // `only`: the variables given and nothing else of the test's environment (a shell holding the database URL alone).
  const env = (
    only ? { PATH: process.env.PATH ?? "", ...extra } : { ...process.env, NODE_OPTIONS: "", ...extra }
  ) as NodeJS.ProcessEnv;
  try {
    const { stdout, stderr } = await run(process.execPath, [bundle, ...args], { cwd: install, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await bundleOps(bundle);
  productionNodeModules();
}, 120_000);
afterAll(() => rmSync(install, { recursive: true, force: true }));

describe("the operator commands' bundle", () => {
  it("needs only production dependencies, and every command's npm script goes through it", () => {
    const needed = bundleImports(bundle);
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((name) => !(name in pkg.dependencies))).toEqual([]);
    for (const command of ["maintenance", "reminders", "make-operator", "remove-operator", "audit-export"])
      expect(pkg.scripts[command]).toBe(`node scripts/run-ops.mjs ${command}`);
    for (const command of ["rotate-token-key", "revoke-queue", "scheduled"])
      expect(pkg.scripts[command]).toBe(`node scripts/run-ops.mjs ${command}`);
  });

  it("shows the revoke queue (size, oldest, lost grants; no tokens), and maintenance exits 1 when revokes fail", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    const controls = sandboxControls(suite.it.sandboxUrl, suite.it.clientId);
    await controls.injectFault({ endpoint: "delete", kind: "503", count: 2 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await stopSharing(user.id, conn.id);
    warn.mockRestore();
    // Two days on, with TrueLayer unreachable: the queued revoke is due, tried, and fails.
    const clock = path.join(install, "clock.json");
    writeFileSync(clock, JSON.stringify({ offsetMs: 2 * DAY }));
    const down = {
      CLOCK_FILE: clock,
      TRUELAYER_AUTH_URL: "http://127.0.0.1:1",
      TRUELAYER_API_URL: "http://127.0.0.1:1",
    };

    const queue = await ops(["revoke-queue"], down);
    expect(queue).toMatchObject({ code: 0, stderr: "" });
    expect(queue.stdout).toMatch(
      /^Revoke queue: 1 grant\(s\) waiting to be revoked; the oldest was queued \S+ \(2 days ago\), more than a day ago\.$/m,
    );
    expect(queue.stdout).toMatch(/^Lost grants .*: 0\.$/m);
    for (const sealed of [conn.accessTokenSealed, conn.refreshTokenSealed])
      expect(queue.stdout).not.toContain(sealed?.slice(-16));

    const maintenance = await ops(["maintenance"], down);
    expect(maintenance.code).toBe(1);
    expect(JSON.parse(maintenance.stdout).revokes).toMatchObject({ postponed: 1 });
    // Standard error: the JSON log lines of the failed calls, and one line for a person.
    const [said, ...more] = maintenance.stderr.split("\n").filter((l) => l && !l.startsWith("{"));
    expect(more).toEqual([]);
    expect(said).toBe(
      "1 queued revoke(s) failed and wait for a retry. A queued revoke has waited more than a day. npm run revoke-queue shows the queue.",
    );
    const logged = maintenance.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
    expect(logged).toContainEqual(
      expect.objectContaining({ event: "truelayer.revoke_failed", level: "warn" }),
    );

    // The cron route's run for other hosts: one run with --once, late work is a failure a scheduler sees.
    const scheduled = await ops(["scheduled", "--once"], down);
    expect(scheduled.code).toBe(1);
    expect(JSON.parse(scheduled.stdout)).toMatchObject({
      late: true,
      keepAlive: { refreshed: 0 },
      balances: { read: 0 },
      maintenance: { revokeQueue: { size: 1, late: true } },
    });
    expect(scheduled.stderr).toContain(
      "The scheduled job left work late (a revoke waiting more than a day).\n",
    );
  }, 60_000);

  it("makes and removes an operator, and says so in one line when the user is unknown", async () => {
    const user = await newUser(suite.prisma);
    expect(await ops(["make-operator", user.email ?? ""])).toMatchObject({
      code: 0,
      stdout: `${user.email} is now an operator.\n`,
    });
    expect((await suite.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("OPERATOR");
    expect(await ops(["remove-operator", user.email ?? ""])).toMatchObject({
      code: 0,
      stdout: `${user.email} is no longer an operator.\n`,
    });
    expect((await suite.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("USER");
    expect(await ops(["remove-operator", "nobody@example.test"])).toMatchObject({
      code: 1,
      stderr: "No user with the email nobody@example.test.\n",
    });
    expect(await ops(["remove-operator"])).toMatchObject({ code: 2 });
  }, 60_000);

  it("fails in one line, without a stack trace or the database URL, when the database or environment is wrong", async () => {
    const noDb = await ops(["revoke-queue"], {
      DATABASE_URL: "postgresql://app:s3cret-pw@127.0.0.1:1/reconsent",
    });
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toBe(
      "revoke-queue failed: could not reach the database (ECONNREFUSED). Check DATABASE_URL and that the database is up.\n",
    );
    const badEnv = await ops(["maintenance"], { AUTH_SECRET: "" });
    expect(badEnv).toMatchObject({
      code: 1,
      stderr: "maintenance failed: the environment is not valid: AUTH_SECRET is missing.\n",
    });
    const unknown = await ops(["drop-everything"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Commands: npm run maintenance \| /);
    for (const out of [noDb, badEnv, unknown])
      expect(`${out.stdout}${out.stderr}`).not.toMatch(/\n\s+at |s3cret/);
  }, 60_000);

  it("each command checks only the variables it needs, and names in one line those it lacks", async () => {
    const database = { DATABASE_URL: process.env.DATABASE_URL ?? "" };
    const queue = await ops(["revoke-queue"], database, true);
    expect(queue).toMatchObject({ code: 0, stderr: "" });
    expect(queue.stdout).toMatch(/^Revoke queue: \d+ grant\(s\) waiting/);

    expect(await ops(["rotate-token-key"], database, true)).toEqual({
      code: 1,
      stdout: "",
      stderr: "rotate-token-key failed: the environment is not valid: TOKEN_ENCRYPTION_KEY is missing.\n",
    });
    const keys = {
      TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY ?? "",
      TOKEN_ENCRYPTION_KEY_ID: process.env.TOKEN_ENCRYPTION_KEY_ID ?? "k1",
    };
    const rotate = await ops(["rotate-token-key"], { ...database, ...keys }, true);
    expect(rotate).toMatchObject({ code: 0, stderr: "" });
    expect(rotate.stdout).toMatch(/^Every sealed value now uses key "\S+"\.$/m);

    expect(await ops(["reminders"], database, true)).toMatchObject({
      code: 1,
      stderr:
        "reminders failed: the environment is not valid: APP_URL is missing; AUTH_SECRET is missing; SMTP_URL is missing; EMAIL_FROM is missing.\n",
    });
  }, 60_000);
});
