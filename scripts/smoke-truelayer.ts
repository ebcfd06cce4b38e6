// `npm run smoke:truelayer`: the whole journey through TrueLayer's real sandbox dialog with the mock bank,
// compared with the simulator. Reads the shell's environment only (not .env.local, whose TRUELAYER_* are
// the demo's). `-- --simulator` runs it against the simulator alone, as `npm test` does.
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./lib/chromium.mjs";
import { smokePlan } from "./smoke/plan";
import { runSmoke, sandboxTarget, simulatorTarget, type TargetSpec } from "./smoke/run";

const print = (line: string) => process.stdout.write(`${line}\n`);
const simulatorOnly = process.argv.includes("--simulator");
const plan = simulatorOnly ? undefined : smokePlan(process.env);

if (plan?.kind === "skip") {
  print(`TrueLayer smoke skipped: ${plan.reason}.`);
  print("skipped");
  process.exit(0);
}
if (plan?.kind === "problem") {
  print(`failed: ${plan.problem}`);
  process.exit(1);
}
const executablePath = chromiumPath();
if (!executablePath) {
  print("failed: Chromium was not found (apt-get install -y chromium, or set CHROMIUM_PATH)");
  process.exit(1);
}

const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
const targets: TargetSpec[] = [];
let exitCode = 1;
try {
  const reference = await simulatorTarget();
  targets.push(reference);
  const real = plan?.kind === "run" ? await sandboxTarget(plan.settings) : undefined;
  if (real) targets.push(real);
  ({ exitCode } = await runSmoke({ reference, real, browser, print }));
} catch (error) {
  print(`failed: ${error instanceof Error ? error.message.split("\n")[0] : "unknown error"}`);
} finally {
  // Cleanup is bounded: a browser that died under us must not hold the exit code back.
  const cleanup = (async () => {
    for (const target of targets) await target.close();
    await browser.close();
  })();
  await Promise.race([
    cleanup.catch(() => {}),
    new Promise((resolve) => setTimeout(resolve, 15_000).unref()),
  ]);
}
process.exit(exitCode);
