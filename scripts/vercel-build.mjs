#!/usr/bin/env node
// `npm run build`: check the environment, generate the Prisma client, bundle the operator commands, migrate only for production
// deployments (through DIRECT_URL when set), then build. Preview deployments never migrate: they use
// their own DATABASE_URL (or none) and must not touch production's.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { bundleOps } from "./lib/ops-bundle.mjs";
import { runPrisma } from "./prisma.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);

function must(status, what) {
  if (status !== 0) {
    process.stderr.write(`${what} failed.\n`);
    process.exit(status ?? 1);
  }
}

// The server's own start-up check, with the variables the deployment will run with.
const checked = spawnSync(
  process.execPath,
  [bin("tsx", "dist/cli.mjs"), "--conditions=react-server", "scripts/check-env.ts"],
  { cwd: root, stdio: "inherit", env: process.env },
);
if (checked.status !== 0) process.exit(checked.status ?? 1);

must(runPrisma(["generate"]).status, "prisma generate");
// The operator commands, for a production install without dev tools (decision 049).
await bundleOps();
if (process.env.VERCEL_ENV === "production")
  must(runPrisma(["migrate", "deploy"]).status, "prisma migrate deploy");
must(
  spawnSync(process.execPath, [bin("next", "dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  }).status,
  "next build",
);
