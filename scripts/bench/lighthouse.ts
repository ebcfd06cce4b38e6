import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHROMIUM_ARGS, chromiumPath } from "../lib/chromium.mjs";
import { waitForHttp } from "../lib/processes.mjs";
import { median } from "./load";
import { BENCH_PORTS } from "./stack";

// Lighthouse (mobile, its default) in Debian's Chromium, the median of `runs` runs per page. Lighthouse is
// loaded only when installed; without it the report says so instead of failing the bench.

export type LighthouseScore = { route: string; performance: number; accessibility: number };
export type LighthouseOutcome = { ok: true; scores: LighthouseScore[] } | { ok: false; reason: string };

type LighthouseRun = (
  url: string,
  flags: Record<string, unknown>,
) => Promise<{ lhr: { categories: Record<string, { score: number | null }> } } | undefined>;

async function loadLighthouse(): Promise<LighthouseRun | null> {
  try {
    const name = "lighthouse";
    const mod = (await import(name)) as { default: LighthouseRun };
    return mod.default;
  } catch {
    return null;
  }
}

export async function lighthouseScores(
  appUrl: string,
  pages: { route: string; cookie?: string }[],
  runsPerPage = 3,
): Promise<LighthouseOutcome> {
  const lighthouse = await loadLighthouse();
  if (!lighthouse) return { ok: false, reason: "the lighthouse package is not installed" };
  const chromium = chromiumPath();
  if (!chromium) return { ok: false, reason: "Chromium was not found (apt-get install -y chromium)" };
  const port = BENCH_PORTS.chromiumDebug;
  const profile = mkdtempSync(path.join(tmpdir(), "reconsent-lh-"));
  const browser = spawn(
    chromium,
    [...CHROMIUM_ARGS, "--headless=new", `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`],
    { stdio: "ignore" },
  );
  try {
    await waitForHttp(`http://127.0.0.1:${port}/json/version`, { name: "Chromium", timeoutMs: 30_000 });
    const scores: LighthouseScore[] = [];
    for (const page of pages) {
      const runs: { performance: number; accessibility: number }[] = [];
      for (let i = 0; i < runsPerPage; i++) {
        const result = await lighthouse(`${appUrl}${page.route}`, {
          port,
          output: "json",
          logLevel: "error",
          onlyCategories: ["performance", "accessibility"],
          extraHeaders: page.cookie ? { cookie: page.cookie } : undefined,
        });
        // BENCH_LIGHTHOUSE_DIR=<dir> keeps every run's full report there, to see which audits cost points.
        const keep = process.env.BENCH_LIGHTHOUSE_DIR;
        if (keep && result) {
          const name = `${page.route.replace(/\W+/g, "_") || "_"}-${Date.now()}.json`;
          writeFileSync(path.join(keep, name), JSON.stringify(result.lhr));
        }
        const categories = result?.lhr.categories ?? {};
        runs.push({
          performance: Math.round((categories.performance?.score ?? 0) * 100),
          accessibility: Math.round((categories.accessibility?.score ?? 0) * 100),
        });
      }
      scores.push({
        route: page.route,
        performance: median(runs.map((r) => r.performance)),
        accessibility: median(runs.map((r) => r.accessibility)),
      });
    }
    return { ok: true, scores };
  } finally {
    browser.kill("SIGTERM");
    // Chromium may still be writing its profile as it exits: retry, and never fail the bench on it.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // A leftover temporary profile is harmless.
    }
  }
}
