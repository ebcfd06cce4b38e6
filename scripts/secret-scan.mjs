#!/usr/bin/env node
// Run after the browser tests (npm test does): fails when any token the simulator issued during the
// run shows up in server logs, rendered HTML, the client bundle or the database's plain columns, or
// when a log line holds a URL with a sign-in token, a bank's code or a state in it, or the run's
// local tooling tokens appear in any of those.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { LOCAL_TOKENS_FILE, readLocalTokens } from "./lib/local-tokens.mjs";
import { scanTree } from "./lib/secret-scan.mjs";

const root = path.resolve(import.meta.dirname, "..");
const artifacts = path.join(root, ".e2e-artifacts");
const databaseScan = path.join(artifacts, "database-scan.json");
if (!existsSync(databaseScan)) {
  process.stderr.write("No browser-test run to scan (.e2e-artifacts is missing).\n");
  process.exit(1);
}

// The run's tokens for the simulator's controls and the inbox's API, looked for as they are.
const literals = readLocalTokens(path.join(artifacts, LOCAL_TOKENS_FILE));
if (!literals.SANDBOX_CONTROL_TOKEN || !literals.INBOX_API_TOKEN) {
  process.stderr.write(`The run left no ${LOCAL_TOKENS_FILE} to look for its local tokens.\n`);
  process.exit(1);
}
const logs = scanTree(path.join(artifacts, "logs"), { urls: true, literals });
const html = scanTree(path.join(artifacts, "html"), { literals });
const bundle = scanTree(path.join(root, ".next", "static"), { literals });
// The browser tests' global teardown scanned the database before stopping it.
const database = JSON.parse(readFileSync(databaseScan, "utf8"));

const findings = [...logs.findings, ...html.findings, ...bundle.findings, ...database.findings];
process.stdout.write(
  `Secret scan: ${logs.files} log files, ${html.files} rendered pages, ${bundle.files} bundle files, ` +
    `${database.values} database values (${database.sealedConnections} connections holding sealed tokens).\n`,
);
if (database.sealedConnections === 0 || html.files === 0) {
  process.stderr.write("The run issued no tokens to look for, so the scan proves nothing.\n");
  process.exit(1);
}
for (const f of findings)
  process.stderr.write(`LEAK: a ${f.kind}… token in ${path.relative(root, f.where) || f.where}\n`);
process.stdout.write(`tokens found: ${findings.length}\n`);
process.exit(findings.length === 0 ? 0 : 1);
