#!/usr/bin/env node
// Stops a local stack's servers when the process that started them ends, however it ends: a normal
// exit, a thrown error, or a signal with no handler (SIGTERM from a CI time-out to the test command's
// process group, SIGINT, SIGHUP, even SIGKILL), none of which runs that process's own clean-up. The
// servers run in process groups of their own (scripts/lib/processes.mjs), so a signal to the test
// command's group never reaches them; this process, in a group of its own too, holds the other end of
// a pipe from their parent and reads "+<process group>" lines. When the pipe closes, the parent is
// gone: each group gets SIGTERM, and SIGKILL after a grace period.
const GRACE_MS = Number(process.env.REAPER_GRACE_MS || 5000);
const groups = new Set();
let pending = "";

const alive = (group) => {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
};
const signal = (group, name) => {
  try {
    process.kill(-group, name);
  } catch {
    // Already gone.
  }
};

let reaping = false;
async function reap() {
  if (reaping) return;
  reaping = true;
  for (const group of groups) signal(group, "SIGTERM");
  const deadline = Date.now() + GRACE_MS;
  while ([...groups].some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const group of groups) if (alive(group)) signal(group, "SIGKILL");
  process.exit(0);
}

process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  pending += chunk;
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const group = Number(line.slice(1));
    if (!Number.isInteger(group) || group <= 1) continue;
    if (line.startsWith("+")) groups.add(group);
    if (line.startsWith("-")) groups.delete(group);
  }
});
process.stdin.once("end", () => void reap());
process.stdin.once("close", () => void reap());
