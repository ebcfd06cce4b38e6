// `npm run remove-operator -- <email>`: the counterpart of make-operator; the change is in the security log.
import path from "node:path";
import { readEnvFile } from "./lib/env-file.mjs";

for (const [key, value] of Object.entries(readEnvFile(path.resolve(import.meta.dirname, "../.env.local"))))
  process.env[key] ??= value;

const email = process.argv[2];
if (!email?.includes("@")) {
  process.stderr.write("Usage: npm run remove-operator -- <email>\n");
  process.exit(2);
}
const { removeOperator } = await import("@/lib/funnel/queries");
const { db } = await import("@/lib/db");
try {
  if (await removeOperator(email)) process.stdout.write(`${email} is no longer an operator.\n`);
  else {
    process.stderr.write(`No user with the email ${email}.\n`);
    process.exitCode = 1;
  }
} finally {
  await db().$disconnect();
}
