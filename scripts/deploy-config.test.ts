import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { NODE_FOR_TESTS, supported } from "./lib/node-version.mjs";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const vercel = JSON.parse(read("vercel.json")) as {
  buildCommand: string;
  regions: string[];
  crons: { path: string; schedule: string }[];
};
const pkg = JSON.parse(read("package.json")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

async function nextConfig(): Promise<{ output?: string }> {
  const file = path.join(root, "next.config.js");
  return (await import(/* @vite-ignore */ file)).default;
}

describe("what docs/deploy.md tells a deployer matches the configuration", () => {
  it("runs functions in London, builds with the checking build, and calls the job every 15 minutes (Pro)", () => {
    expect(vercel.regions).toEqual(["lhr1"]);
    expect(vercel.buildCommand).toBe("npm run build");
    expect(pkg.scripts.build).toBe("node scripts/vercel-build.mjs");
    for (const cron of vercel.crons) {
      expect(existsSync(path.join(root, "app", cron.path, "route.ts"))).toBe(true);
      expect(cron.schedule).toBe("*/15 * * * *");
    }
  });

  it("pins production to the Node.js npm test runs on", () => {
    expect(pkg.engines.node).toBe("^22.12.0");
    expect(supported(NODE_FOR_TESTS)).toBe(true);
    expect(read(".nvmrc").trim()).toBe("22");
  });

  it("builds standalone output only when asked", async () => {
    vi.stubEnv("NEXT_OUTPUT", "standalone");
    vi.resetModules();
    const standalone = await nextConfig();
    vi.unstubAllEnvs();
    vi.resetModules();
    const plain = await nextConfig();
    expect(standalone.output).toBe("standalone");
    expect(plain.output).toBeUndefined();
  });

  it("names only npm scripts that exist, and the README links it", () => {
    const guide = read("docs/deploy.md");
    const named = [...guide.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1] ?? "");
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !(name in pkg.scripts))).toEqual([]);
    expect(read("README.md")).toContain("(docs/deploy.md)");
    expect(guide).toMatch(/^## Monitoring$/m);
  });
});
