import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

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

const INSTALL = ["apt-get", "install", "-y", "-qq", "chromium"];
const UPDATE = ["apt-get", "update", "-qq"];

/**
 * What `npm test` does about the browser, from what the machine has. Pure, so each case is tested
 * without installing anything: found, can install (root, or passwordless sudo, with apt-get), cannot.
 */
export function chromiumPlan({ found, isRoot, passwordlessSudo, hasAptGet }) {
  if (found) return { kind: "found", path: found };
  if (hasAptGet && (isRoot || passwordlessSudo)) {
    const prefix = isRoot ? [] : ["sudo", "-n"];
    const advice = `${isRoot ? "" : "sudo "}apt-get install -y chromium`;
    return {
      kind: "install",
      commands: [
        [...prefix, ...UPDATE],
        [...prefix, ...INSTALL],
      ],
      advice,
    };
  }
  const advice = hasAptGet
    ? "sudo apt-get install -y chromium"
    : "install Chromium with this machine's package manager, then set CHROMIUM_PATH=/path/to/chromium";
  return { kind: "cannot", advice };
}

function succeeds(command, args) {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

/** The facts chromiumPlan needs, read off this machine. */
export function machineFacts() {
  return {
    found: chromiumPath(),
    isRoot: typeof process.getuid === "function" && process.getuid() === 0,
    passwordlessSudo: succeeds("sudo", ["-n", "true"]),
    hasAptGet: succeeds("sh", ["-c", "command -v apt-get"]),
  };
}

/**
 * Finds Chromium, installing Debian's when the machine allows it. Returns its path, or
 * `{ problem }` with the sentence to print: the caller stops before running any stage.
 */
export function ensureChromium({
  facts = machineFacts(),
  run = (command, args, logFile) =>
    spawnSync("sh", ["-c", `"$0" "$@" >>"${logFile}" 2>&1`, command, ...args], {
      stdio: "ignore",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status,
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
