// `npm test` and `npm run demo` run on the Node.js production runs (decision 038): this one when it is that
// major, else the same version fetched once from the npm registry (the binary package the registry's `node`
// package installs, taken directly so no install script has to run) and cached outside node_modules.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { constants, homedir } from "node:os";
import path from "node:path";

export const NODE_FOR_TESTS = "22.23.3";
const MINIMUM = [22, 12];

const parts = (version) => version.replace(/^v/, "").split(".").map(Number);

/** Whether `version` is a Node production supports: 22.x from 22.12. */
export function supported(version) {
  const [major, minor] = parts(version);
  return major === MINIMUM[0] && minor >= MINIMUM[1];
}

export function binaryPackage(platform = process.platform, arch = process.arch) {
  if (platform !== "linux" && platform !== "darwin") return null;
  return `${platform === "darwin" && arch === "arm64" ? "node-bin" : "node"}-${platform}-${arch}@${NODE_FOR_TESTS}`;
}

export function cacheDir(env = process.env) {
  const base =
    env.RECONSENT_NODE_CACHE ||
    path.join(env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "reconsent", "node");
  return path.join(base, `${NODE_FOR_TESTS}-${process.platform}-${process.arch}`);
}

const binaryIn = (dir, pkg) => path.join(dir, "node_modules", pkg.replace(/@[^@]*$/, ""), "bin", "node");

/** What to run on, from the facts: this Node, the cached one, or a fetch first. Pure. */
export function nodePlan({ current, override, cached, pkg, reexecuted }) {
  if (override === "current" || reexecuted || supported(current)) return { kind: "current" };
  if (cached) return { kind: "cached", path: cached };
  if (!pkg)
    return { kind: "cannot", advice: `install Node.js ${MINIMUM.join(".")}+ (22.x) for this platform` };
  return { kind: "install", pkg };
}

/** Fetches the binary into the cache (atomically, so runs side by side never see half a copy). */
export function fetchNode({ pkg, dir = cacheDir(), run = spawnSync } = {}) {
  const staging = `${dir}.partial-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  const result = run(
    "npm",
    [
      "install",
      "--prefix",
      staging,
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--loglevel=error",
      pkg,
    ],
    { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" },
  );
  const binary = binaryIn(staging, pkg);
  if (result.status !== 0 || !existsSync(binary)) {
    rmSync(staging, { recursive: true, force: true });
    return {
      problem: `Fetching Node.js ${NODE_FOR_TESTS} from the npm registry failed (${(result.stderr ?? "").trim().split("\n").pop() ?? "no output"}).`,
    };
  }
  if (existsSync(dir)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, dir);
  return { path: binaryIn(dir, pkg) };
}

/**
 * Re-runs `script` on the supported Node when this one is not it, forwarding signals and the exit status;
 * the returned promise then never settles. Returns at once when this Node will do.
 */
export async function runOnSupportedNode(
  script,
  { current = process.version, env = process.env, say = (l) => process.stdout.write(`${l}\n`) } = {},
) {
  const pkg = binaryPackage();
  const cachedBinary = pkg && existsSync(binaryIn(cacheDir(env), pkg)) ? binaryIn(cacheDir(env), pkg) : null;
  const plan = nodePlan({
    current,
    override: env.RECONSENT_NODE,
    cached: cachedBinary,
    pkg,
    reexecuted: env.RECONSENT_NODE_REEXEC === "1",
  });
  if (plan.kind === "current") return;
  let binary = plan.path;
  if (plan.kind === "cannot") {
    process.stderr.write(
      `This is Node.js ${current}; Reconsent runs on Node.js 22: ${plan.advice} (or RECONSENT_NODE=current to try this one).\n`,
    );
    process.exit(1);
  }
  if (plan.kind === "install") {
    say(
      `This is Node.js ${current}; fetching Node.js ${NODE_FOR_TESTS} from the npm registry once (cached in ${cacheDir(env)})…`,
    );
    const fetched = fetchNode({ pkg, dir: cacheDir(env) });
    if (fetched.problem) {
      process.stderr.write(
        `${fetched.problem} Install Node.js 22.12+ yourself, or set RECONSENT_NODE=current to try this one.\n`,
      );
      process.exit(1);
    }
    binary = fetched.path;
  }
  // A process group of its own, so a Ctrl+C reaches it once (forwarded here), not twice.
  const child = spawn(binary, [script, ...process.argv.slice(2)], {
    stdio: "inherit",
    detached: true,
    env: {
      ...env,
      RECONSENT_NODE_REEXEC: "1",
      PATH: `${path.dirname(binary)}${path.delimiter}${env.PATH ?? ""}`,
    },
  });
  // To the whole group: the stages it runs (the browser tests' runner among them) end with it.
  const forward = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => forward(signal));
  child.once("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
  await new Promise(() => {});
}
