#!/usr/bin/env node
// `npm run review-pack`: drives every screen in Chromium (review-pack/screens.pack.ts) at 360 and 1280 px
// wide and writes docs/review-pack/: the screenshots and a README with each screen's exact copy, for
// TrueLayer's review before it enables extend in production.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromiumPath } from "./lib/chromium.mjs";

const root = path.resolve(import.meta.dirname, "..");
const packDir = path.join(root, "docs", "review-pack");
// Its own ports and an in-memory database by default, so it never meets a browser-test run (`npm test`
// uses ports 3100-3102/2526 and the database reconsent_e2e) on the same machine. E2E_APP_PORT,
// E2E_SANDBOX_PORT, E2E_INBOX_HTTP_PORT and E2E_INBOX_SMTP_PORT set in the environment take precedence.
const env = {
  E2E_APP_PORT: "3110",
  E2E_SANDBOX_PORT: "3111",
  E2E_INBOX_HTTP_PORT: "3112",
  E2E_INBOX_SMTP_PORT: "2536",
  TEST_DATABASE: "embedded",
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  FORCE_COLOR: "0",
};
const nodeBin = (pkg, file) => path.join(root, "node_modules", pkg, file);
const started = Date.now();

function run(title, args, extraEnv = {}) {
  process.stdout.write(`\n=== ${title}\n`);
  return spawnSync(process.execPath, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: "inherit" })
    .status;
}

function git(...args) {
  const result = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : "";
}

/** The newest modification time under the paths a production build is made from. */
function newestSource(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of paths) visit(path.join(root, p));
  return newest;
}

function buildIsCurrent() {
  const id = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(id)) return false;
  const sources = [
    "app",
    "lib",
    "public",
    "proxy.ts",
    "instrumentation.ts",
    "next.config.js",
    "package-lock.json",
  ];
  return statSync(id).mtimeMs > newestSource(sources);
}

const chromium = chromiumPath();
if (!chromium) {
  process.stderr.write("Chromium was not found: apt-get install -y chromium, or set CHROMIUM_PATH.\n");
  process.exit(1);
}

if (buildIsCurrent())
  process.stdout.write("The production build in .next/ is newer than the sources: reusing it.\n");
else if (
  run("Production build (next build)", [nodeBin("next", "dist/bin/next"), "build"], {
    SKIP_BUILD_TYPECHECK: "1",
  }) !== 0
) {
  process.stderr.write("next build failed, so no screenshots were taken.\n");
  process.exit(1);
}

mkdirSync(packDir, { recursive: true });
for (const name of readdirSync(packDir)) {
  if (/\.(png|jpe?g)$/.test(name)) rmSync(path.join(packDir, name));
}
const manifest = path.join(tmpdir(), `reconsent-review-pack-${process.pid}.jsonl`);
rmSync(manifest, { force: true });
const status = run(
  "Screens (Playwright, Chromium)",
  [
    "--conditions=react-server",
    nodeBin("@playwright/test", "cli.js"),
    "test",
    "-c",
    "playwright.review-pack.config.ts",
    "--reporter=list",
  ],
  { REVIEW_PACK_MANIFEST: manifest, CHROMIUM_PATH: chromium },
);

const shots = existsSync(manifest)
  ? readFileSync(manifest, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .sort((a, b) => a.id.localeCompare(b.id))
  : [];
rmSync(manifest, { force: true });

const commit = git("rev-parse", "--short", "HEAD") || "unknown";
const dirty = git("status", "--porcelain", "--", "app", "lib", "proxy.ts") !== "";
const today = new Date().toISOString().slice(0, 10);
const seconds = Math.round((Date.now() - started) / 1000);

const block = (text) => ["```text", text.replaceAll("```", "ʼʼʼ"), "```"].join("\n");
const section = (shot) =>
  [
    `## ${shot.id.slice(0, 2)}. ${shot.title}`,
    "",
    `${shot.note}`,
    "",
    `Where: ${shot.where}, \`${shot.path}\`. Files: [360 px](${shot.files[360]}) · [1280 px](${shot.files[1280]})`,
    "",
    `<img src="${shot.files[360]}" alt="${shot.title}, 360 px wide" width="200"> <img src="${shot.files[1280]}" alt="${shot.title}, 1280 px wide" width="560">`,
    "",
    shot.path.startsWith("/_") || shot.where !== "app"
      ? "Visible text of the page:"
      : "Visible text of `<main>`:",
    "",
    block(shot.copy),
    ...(shot.copyAt360 ? ["", "At 360 px the text differs:", "", block(shot.copyAt360)] : []),
    ...(shot.links?.length
      ? ["", "Links to other sites:", "", ...shot.links.map((link) => `- ${link.text}: <${link.href}>`)]
      : []),
    "",
  ].join("\n");

const readme = [
  "# Review pack: every Reconsent screen",
  "",
  "What TrueLayer asks to see before it enables `POST /data/v1/connections/extend` in production: each",
  "screen and state a user can reach, photographed at 360 px (phone) and 1280 px (laptop) wide, with the",
  "exact words on it. The reconfirmation screen itself is **14** (one bank: the consent and reconfirmation",
  "screens merged into one yes/no) and **17** (several banks, nothing ticked in advance). Its heading carries",
  "the key point; it lists the data shared and the accounts, says why and that it goes to Reconsent, names",
  "TrueLayer as the FCA-authorised party, links TrueLayer's end-user terms and privacy policy, says how to",
  "stop sharing, and ends with a clear yes and no.",
  "",
  `Made on ${today} from commit \`${commit}\`${dirty ? " (with uncommitted changes to the app)" : ""} by \`npm run review-pack\``,
  `(scripts/review-pack.mjs, review-pack/screens.pack.ts) in ${seconds} s: the production build ran in Chromium`,
  "against a fresh database, with the local TrueLayer simulator (sandbox/) standing in for TrueLayer and the",
  "banks, so bank names are the simulator's mock banks and the TrueLayer dialog and bank pages (09, 10, 21)",
  "are the simulator's, not TrueLayer's. Dates are relative to the day of the run. The text blocks are the",
  "page's visible text (screen-reader-only text left out), read from the page as shown.",
  "",
  "## What changed since the last submission",
  "",
  // Written by hand (review-pack/changes.md): only a person can say what TrueLayer saw last time.
  readFileSync(path.join(root, "review-pack", "changes.md"), "utf8").trim(),
  "",
  status === 0 ? "" : "**Warning: the last run did not finish every screen; some are missing.**\n",
  "| # | screen | 360 px | 1280 px |",
  "|---|---|---|---|",
  ...shots.map(
    (s) =>
      `| ${s.id.slice(0, 2)} | [${s.title}](#${s.id.slice(0, 2)}-${s.title
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, "")
        .replaceAll(" ", "-")}) | [png](${s.files[360]}) | [png](${s.files[1280]}) |`,
  ),
  "",
  ...shots.map(section),
].join("\n");
writeFileSync(path.join(packDir, "README.md"), readme);

const bytes = readdirSync(packDir).reduce((n, name) => n + statSync(path.join(packDir, name)).size, 0);
process.stdout.write(
  `\n${shots.length} screens written to docs/review-pack/ (${(bytes / 1e6).toFixed(1)} MB) in ${seconds} s.\n`,
);
process.exit(status === 0 ? 0 : 1);
