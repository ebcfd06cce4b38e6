#!/usr/bin/env node
// `npm run demo`: installs what is missing, writes .env.local with fresh secrets on the first run,
// and starts everything on this machine: embedded PostgreSQL, TrueLayer simulator, mail inbox, app.
// DEMO_HOME moves .env.local and .data/ to another folder (the demo's browser test uses a temporary
// one); PORT, SANDBOX_PORT, INBOX_HTTP_PORT, INBOX_SMTP_PORT and DEMO_DB_PORT move its ports.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureInstalled } from "./lib/install.mjs";
import { runOnSupportedNode } from "./lib/node-version.mjs";

// The demo runs on the Node.js production runs (decision 038), fetched once when this is another.
await runOnSupportedNode(import.meta.filename);
const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
ensureInstalled();

const { localSecrets, readEnvFile, writeEnvFile } = await import("./lib/env-file.mjs");
const { startEmbedded } = await import("./lib/database.mjs");
const { startStack } = await import("./stack.mjs");
const { freshLocalTokens, LOCAL_TOKENS_FILE, writeLocalTokens } = await import("./lib/local-tokens.mjs");
const { stopAll, stopOnSignals } = await import("./lib/processes.mjs");

const home = path.resolve(process.env.DEMO_HOME || root);
const envFile = path.join(home, ".env.local");
const dataDir = path.join(home, ".data");
mkdirSync(dataDir, { recursive: true });
// Paths in .env.local stay relative in the checkout, so the folder can move.
const dataPath = (name) => (home === root ? `.data/${name}` : path.join(dataDir, name));

const APP_PORT = Number(process.env.PORT || 3000);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT || 3001);
const INBOX_HTTP_PORT = Number(process.env.INBOX_HTTP_PORT || 3002);
const INBOX_SMTP_PORT = Number(process.env.INBOX_SMTP_PORT || 2525);
const DB_PORT = Number(process.env.DEMO_DB_PORT || 54329);

if (!existsSync(envFile)) {
  writeEnvFile(
    envFile,
    {
      RECONSENT_MODE: "demo",
      APP_URL: `http://localhost:${APP_PORT}`,
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${DB_PORT}/postgres?connection_limit=1&pgbouncer=true`,
      ...localSecrets("demo"),
      TRUELAYER_TARGET: "simulator",
      TRUELAYER_AUTH_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
      TRUELAYER_API_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
      SANDBOX_PORT: String(SANDBOX_PORT),
      SANDBOX_DATA_FILE: dataPath("sandbox.json"),
      SMTP_URL: `smtp://127.0.0.1:${INBOX_SMTP_PORT}`,
      EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
      MAIL_INBOX_URL: `http://127.0.0.1:${INBOX_HTTP_PORT}`,
      INBOX_HTTP_PORT: String(INBOX_HTTP_PORT),
      INBOX_SMTP_PORT: String(INBOX_SMTP_PORT),
      INBOX_DATA_FILE: dataPath("inbox.json"),
      CLOCK_FILE: dataPath("clock.json"),
    },
    "Written by `npm run demo` with fresh secrets. Local demo only; delete it to start over.",
  );
  process.stdout.write(`Wrote ${path.relative(root, envFile) || envFile} with freshly generated secrets.\n`);
}

// next dev compiles each page on its first visit. A page opened while that compile is still under
// way (a busy laptop) reloaded itself a few times, so the pages a person opens first are compiled
// before the demo says it is running.
async function warmUp(appUrl) {
  process.stdout.write("Preparing the pages...\n");
  const get = (url) =>
    fetch(new URL(url, appUrl), { redirect: "manual", signal: AbortSignal.timeout(120_000) })
      .then((response) => response.text())
      .catch(() => "");
  // The scripts each page loads too: a browser's first request for them otherwise set off a Fast Refresh
  // rebuild on a loaded machine, under the eyes of the person reading the page.
  const scripts = new Set();
  for (const page of ["/", "/signin", "/signin/check-email", "/connections", "/settings", "/reconfirm"]) {
    const html = await get(page);
    for (const [, src] of html.matchAll(/<script[^>]+src="([^"]+)"/g))
      scripts.add(src.replaceAll("&amp;", "&"));
  }
  for (const src of scripts) await get(src);
}

// next dev's cache, left by other source (a pull since the last run), sent pages into a reload loop: it starts
// afresh when the commit changed.
function dropStaleDevCache() {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout?.trim();
  if (!head) return;
  const stamp = path.join(root, ".next", "dev-commit");
  const built = existsSync(stamp) ? readFileSync(stamp, "utf8") : "";
  if (built !== head) rmSync(path.join(root, ".next", "dev"), { recursive: true, force: true });
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, head);
}
dropStaleDevCache();

// Fresh for every run, never in .env.local: `npm run clock` and the demo's browser test read them here.
const tokens = freshLocalTokens();
writeLocalTokens(path.join(dataDir, LOCAL_TOKENS_FILE), tokens);
const env = { ...readEnvFile(envFile), ...tokens };
const database = await startEmbedded({ dataDir: path.join(dataDir, "pglite"), port: DB_PORT });
stopOnSignals(() => database.stop());

let plan;
try {
  plan = await startStack({ env, next: "dev", appPort: APP_PORT, seed: true });
  await warmUp(env.APP_URL);
} catch (error) {
  process.stderr.write(
    `\nThe demo could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  await stopAll();
  await database.stop();
  process.exit(1);
}

const bank = plan.simulator
  ? "Mock bank logins: john / eternal (no bank trip), john / doe (bank authentication). More in sandbox/README.md."
  : `TrueLayer: TRUELAYER_TARGET=${plan.target}, no demo connections seeded. Connect the mock bank with john / eternal or john / doe.`;
process.stdout.write(`
  Reconsent is running at ${env.APP_URL}
  Sign in with demo@reconsent.localhost; the sign-in link arrives in the local inbox at ${env.MAIL_INBOX_URL}
  ${bank}
  Data lives in ${home === root ? ".data/" : dataDir} (delete it to reset). Press Ctrl+C to stop.
`);
