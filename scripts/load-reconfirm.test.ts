import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";

// The bounded concurrency check of `npm test`: the load script itself (so a stale import or a pool
// deadlock in it fails here), 50 users at once, stopped at 30 s. `npm run test:reliability` runs it
// with 200 users on pools of 5 and 1.
const embedded = inject("testDatabaseKind") === "embedded";
const root = path.resolve(import.meta.dirname, "..");

function runLoad(args: string[], limitMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, "node_modules/tsx/dist/cli.mjs"),
        "--conditions=react-server",
        "scripts/load-reconfirm.ts",
        ...args,
      ],
      {
        cwd: root,
        env: { ...process.env, TEST_DATABASE_URL: inject("testDatabaseUrl"), TEST_DATABASE: "postgresql" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(embedded)("load script, bounded (real PostgreSQL)", () => {
  it("50 users reconfirm at once within 30 s: nothing lost, nothing twice", { timeout: 40_000 }, async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "load-")), "result.json");
    const run = await runLoad(["--users", "50", "--seconds", "30", "--out", out], 35_000);
    expect(run.output).toMatch(/PASS/);
    expect(run.code).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8"));
    expect(result).toMatchObject({
      passed: true,
      users: 50,
      errors: 0,
      lostUpdates: 0,
      duplicatedUpdates: 0,
    });
    expect(result.upstreamExtends).toBe(50);
  });
});
