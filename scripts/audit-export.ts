// `npm run audit-export -- --operator <email> --from … --to …`: the operators' consent audit export.
import path from "node:path";
import { readEnvFile } from "./lib/env-file.mjs";

for (const [key, value] of Object.entries(readEnvFile(path.resolve(import.meta.dirname, "../.env.local"))))
  process.env[key] ??= value;

const { runAuditExport } = await import("@/lib/consent/audit-command");
const { db } = await import("@/lib/db");
try {
  process.exitCode = await runAuditExport(process.argv.slice(2), process.stdout, process.stderr);
} finally {
  await db().$disconnect();
}
