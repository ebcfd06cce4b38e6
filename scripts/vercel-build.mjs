#!/usr/bin/env node
// `npm run build`: generate the Prisma client, migrate only for production deployments, then build.
// Preview deployments never migrate: they use their own DATABASE_URL (or none) and must not touch production's.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { runPrisma } from "./prisma.mjs";

const root = path.resolve(import.meta.dirname, "..");

function must(status, what) {
  if (status !== 0) {
    process.stderr.write(`${what} failed.\n`);
    process.exit(status ?? 1);
  }
}

must(runPrisma(["generate"]).status, "prisma generate");
if (process.env.VERCEL_ENV === "production") {
  if (!process.env.DATABASE_URL) {
    process.stderr.write("DATABASE_URL is not set for this production deployment.\n");
    process.exit(1);
  }
  must(runPrisma(["migrate", "deploy"]).status, "prisma migrate deploy");
}
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
must(
  spawnSync(process.execPath, [next, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  }).status,
  "next build",
);
