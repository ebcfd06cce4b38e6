import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGTERM");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs sandbox/main.ts in an empty directory (so no .env.local) until it prints its URL or exits. */
function run(
  env: Record<string, string>,
): Promise<{ out: string; err: string; code: number | null; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "sandbox-main-"));
  dirs.push(cwd);
  const child = spawn(tsx, [main], {
    cwd,
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH ?? "",
      SANDBOX_PORT: "0",
      SANDBOX_DATA_FILE: join(cwd, "s.json"),
      ...env,
    },
  });
  children.push(child);
  let out = "";
  let err = "";
  return new Promise((resolve) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Test controls")) resolve({ out, err, code: null, cwd });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("exit", (code) => resolve({ out, err, code, cwd }));
  });
}

describe("sandbox/main.ts", () => {
  it("binds loopback, guards the controls with a token it leaves beside its data, and applies SANDBOX_PROFILE", async () => {
    const { out, cwd } = await run({
      SANDBOX_PROFILE: "truelayer-sandbox",
      TRUELAYER_CLIENT_ID: "main-client",
      TRUELAYER_CLIENT_SECRET: "main-secret",
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    expect(out).toMatch(/controls .* only on loopback names and only with this run's token/);
    expect((await fetch(`${url}/_sandbox/profile?clientId=main-client`)).status).toBe(403);
    const token = readFileSync(join(cwd, "sandbox-control-token"), "utf8");
    expect(out).not.toContain(token);
    const res = await fetch(`${url}/_sandbox/profile?clientId=main-client`, {
      headers: { "x-sandbox-token": token },
    });
    expect(((await res.json()) as { profile: string }).profile).toBe("truelayer-sandbox");
  });

  it("refuses a non-loopback SANDBOX_HOST while the controls are on", async () => {
    const { code, err } = await run({ SANDBOX_HOST: "0.0.0.0", SANDBOX_MODE: "test" });
    expect(code).toBe(1);
    expect(err).toMatch(/loopback-only/);
  });

  it("rejects an unknown SANDBOX_PROFILE", async () => {
    const { code, err } = await run({ SANDBOX_PROFILE: "production" });
    expect(code).not.toBe(0);
    expect(err).toMatch(/SANDBOX_PROFILE must be strict or truelayer-sandbox/);
  });
});
