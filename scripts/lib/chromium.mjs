import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { aptPlan, machineFactsFor, runLogged } from "./apt-package.mjs";

/** Debian's Chromium (Playwright cannot download its own here), or CHROMIUM_PATH. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    Boolean,
  );
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const CHROMIUM = { pkg: "chromium", name: "Chromium", envVar: "CHROMIUM_PATH" };

/** What `npm test` does about the browser, from what the machine has. */
export const chromiumPlan = (facts) => aptPlan(CHROMIUM, facts);

/** The facts chromiumPlan needs, read off this machine. */
export const machineFacts = () => machineFactsFor(chromiumPath());

/**
 * Finds Chromium, installing Debian's when the machine allows it. Returns its path, or
 * `{ problem }` with the sentence to print: the caller stops before running any stage.
 */
export function ensureChromium({
  facts = machineFacts(),
  run = runLogged,
  recheck = chromiumPath,
  say = (line) => process.stdout.write(`${line}\n`),
  logFile = path.join(tmpdir(), `reconsent-chromium-install-${process.pid}.log`),
} = {}) {
  const plan = chromiumPlan(facts);
  if (plan.kind === "found") return { path: plan.path };
  if (plan.kind === "cannot") {
    return {
      problem: `Chromium was not found, and this machine cannot install it for the browser tests. Run: ${plan.advice}   (or set CHROMIUM_PATH)`,
    };
  }
  say(`Chromium was not found: installing Debian's chromium for the browser tests (log: ${logFile})…`);
  for (const [command, ...args] of plan.commands) {
    if (run(command, args, logFile) !== 0) {
      return {
        problem: `Installing Chromium failed (see ${logFile}). Run: ${plan.advice}   (or set CHROMIUM_PATH)`,
      };
    }
  }
  const installed = recheck();
  return installed
    ? { path: installed }
    : { problem: `apt-get finished but no Chromium is at /usr/bin/chromium (see ${logFile}).` };
}
