// Installing a Debian package a test stage needs (Chromium, PgBouncer) when the machine allows it.
import { spawnSync } from "node:child_process";

const succeeds = (command, args) => spawnSync(command, args, { stdio: "ignore" }).status === 0;

/** The facts a plan needs, read off this machine; `found` is the binary's path if it is there already. */
export function machineFactsFor(found) {
  return {
    found,
    isRoot: typeof process.getuid === "function" && process.getuid() === 0,
    passwordlessSudo: succeeds("sudo", ["-n", "true"]),
    hasAptGet: succeeds("sh", ["-c", "command -v apt-get"]),
  };
}

/**
 * What to do about a package from the machine's facts. Pure, so each case is tested without installing
 * anything: found, can install (root, or passwordless sudo, with apt-get), cannot.
 */
export function aptPlan(
  { pkg, name, envVar, installFlags = [] },
  { found, isRoot, passwordlessSudo, hasAptGet },
) {
  if (found) return { kind: "found", path: found };
  if (hasAptGet && (isRoot || passwordlessSudo)) {
    const prefix = isRoot ? [] : ["sudo", "-n"];
    return {
      kind: "install",
      commands: [
        [...prefix, "apt-get", "update", "-qq"],
        [...prefix, "apt-get", "install", "-y", "-qq", ...installFlags, pkg],
      ],
      advice: `${isRoot ? "" : "sudo "}apt-get install -y ${pkg}`,
    };
  }
  const advice = hasAptGet
    ? `sudo apt-get install -y ${pkg}`
    : `install ${name} with this machine's package manager, then set ${envVar}=/path/to/${pkg}`;
  return { kind: "cannot", advice };
}

/** Runs one install step with its output appended to `logFile`; its exit status. */
export function runLogged(command, args, logFile) {
  return spawnSync("sh", ["-c", `"$0" "$@" >>"${logFile}" 2>&1`, command, ...args], {
    stdio: "ignore",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  }).status;
}
