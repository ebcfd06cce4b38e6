#!/usr/bin/env node
// Runs the Prisma CLI without letting it download native engines (there is no network here,
// and the JS engine + driver adapters need none).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dummy = path.join(root, "node_modules", ".cache", "prisma-no-engine");
if (!existsSync(dummy)) {
  mkdirSync(path.dirname(dummy), { recursive: true });
  writeFileSync(dummy, "");
}

// A caller naming DATABASE_URL alone means that database: a DIRECT_URL inherited from the shell
// would otherwise send migrations elsewhere (prisma.config.ts prefers it).
export function prismaEnv(extra = {}) {
  const inherited = { ...process.env };
  if ("DATABASE_URL" in extra && !("DIRECT_URL" in extra)) delete inherited.DIRECT_URL;
  return {
    ...inherited,
    PRISMA_SCHEMA_ENGINE_BINARY: dummy,
    PRISMA_QUERY_ENGINE_LIBRARY: dummy,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    // generate and diff --from-empty need no database, but the config insists on a URL.
    DATABASE_URL: process.env.DATABASE_URL || "postgresql://unused@127.0.0.1:1/unused",
    ...extra,
  };
}

export function runPrisma(args, { env = {}, stdio = "inherit" } = {}) {
  const bin = path.join(root, "node_modules", "prisma", "build", "index.js");
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    env: prismaEnv(env),
    stdio,
    encoding: "utf8",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = runPrisma(process.argv.slice(2));
  process.exit(result.status ?? 1);
}
