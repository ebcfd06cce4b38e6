// The operator commands (`npm run maintenance`, `revoke-queue`, …). `npm run build` bundles them into
// dist/ops-commands.mjs behind the entry dist/ops.mjs (scripts/ops-entry.ts), which runs on a production install
// with plain `node` (decisions 049 and 072).
import path from "node:path";
import { readEnvFile } from "./lib/env-file.mjs";

// Locally, read .env.local like `next` does; variables already set win. The bundle sits one level down too.
for (const [key, value] of Object.entries(readEnvFile(path.resolve(import.meta.dirname, "../.env.local"))))
  process.env[key] ??= value;

const { runOpsCommand } = await import("../lib/ops/commands");
const { logTo } = await import("../lib/log");
// Standard output is the command's answer (JSON, a CSV export); log lines go beside the errors.
logTo(process.stderr);
const [name, ...args] = process.argv.slice(2);
process.exitCode = await runOpsCommand(name, args, { out: process.stdout, err: process.stderr });
