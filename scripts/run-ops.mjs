#!/usr/bin/env node
// What `npm run maintenance` (and the other operator commands) call. In a checkout with dev dependencies it
// bundles first (a fraction of a second), so the file that runs is always the one production runs; on a
// production install it runs the bundle `npm run build` made.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { bundleOps, OPS_BUNDLE } from "./lib/ops-bundle.mjs";

const hasEsbuild = (() => {
  try {
    createRequire(import.meta.url).resolve("esbuild");
    return true;
  } catch {
    return false;
  }
})();

if (hasEsbuild) await bundleOps();
else if (!existsSync(OPS_BUNDLE)) {
  process.stderr.write("dist/ops.mjs is missing: run `npm run build` (it bundles the operator commands).\n");
  process.exit(1);
}
const run = spawnSync(process.execPath, [OPS_BUNDLE, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(run.status ?? 1);
