#!/usr/bin/env node
// `npm run clock -- 80`: moves the running demo's clocks (the app's and the simulator's) 80 days
// ahead of today, so a consent can be seen expiring or lapsed; `npm run clock -- 0` puts them back.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { sandboxControls } from "../sandbox/client/controls";
import { readEnvFile } from "./lib/env-file.mjs";
import { LOCAL_TOKENS_FILE, readLocalTokens } from "./lib/local-tokens.mjs";

const root = path.resolve(import.meta.dirname, "..");
const days = Number(process.argv[2]);
if (!Number.isFinite(days) || days < 0 || days > 400) {
  process.stderr.write("Usage: npm run clock -- <days ahead of today, 0 to 400>\n");
  process.exit(2);
}
const home = process.env.DEMO_HOME ?? root;
const env = readEnvFile(path.join(home, ".env.local"));
// The running demo's control token (scripts/demo.mjs writes it at every start).
const { SANDBOX_CONTROL_TOKEN: token } = readLocalTokens(path.join(home, ".data", LOCAL_TOKENS_FILE));
if (env.RECONSENT_MODE !== "demo" || !env.CLOCK_FILE || !env.TRUELAYER_API_URL || !env.TRUELAYER_CLIENT_ID) {
  process.stderr.write("Only the local demo's clock can be moved (run `npm run demo` first).\n");
  process.exit(1);
}
writeFileSync(path.resolve(root, env.CLOCK_FILE), JSON.stringify({ offsetMs: days * 24 * 60 * 60 * 1000 }));
const moved = await sandboxControls(env.TRUELAYER_API_URL, env.TRUELAYER_CLIENT_ID, token ?? "")
  .setClock(days)
  .then(
    () => true,
    () => false,
  );
process.stdout.write(
  `The app's clock is now ${days} days ahead.${moved ? " So is the simulator's." : " The simulator is not running; start the demo and run this again."}\n`,
);
