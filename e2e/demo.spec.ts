import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { LOCAL_TOKENS_FILE, readLocalTokens } from "../scripts/lib/local-tokens.mjs";

// The README's first command, in a browser: `npm run demo` (next dev on the embedded database, with
// the simulator and the inbox), run from a temporary home so it never writes .env.local or .data/
// into the checkout. Every page must load once and stay put: no reload loop, no Fast Refresh
// rebuilds while a person reads or types, no console errors.
const root = path.resolve(import.meta.dirname, "..");
// E2E_DEMO_PORT_BASE moves the four server ports (app, simulator, inbox web, inbox SMTP) to base..base+3.
const base = Number(process.env.E2E_DEMO_PORT_BASE || 0);
const PORTS = base
  ? { app: base, sandbox: base + 1, inboxHttp: base + 2, inboxSmtp: base + 3, db: 54339 }
  : { app: 3250, sandbox: 3251, inboxHttp: 3252, inboxSmtp: 2529, db: 54339 };
const appUrl = `http://localhost:${PORTS.app}`;
const inboxUrl = `http://127.0.0.1:${PORTS.inboxHttp}`;
const SETTLE_MS = 5_000;

test.describe.configure({ mode: "serial", timeout: 300_000 });

let demo: ChildProcess | undefined;
let home: string;
let output = "";
const checkoutFiles = [".env.local", ".data"].map((name) => path.join(root, name));
const stamp = () => checkoutFiles.map((file) => (existsSync(file) ? statSync(file).mtimeMs : null));
let before: (number | null)[];

test.beforeAll(async () => {
  test.setTimeout(300_000);
  home = mkdtempSync(path.join(tmpdir(), "reconsent-demo-"));
  before = stamp();
  demo = spawn(process.execPath, ["scripts/demo.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      DEMO_HOME: home,
      PORT: String(PORTS.app),
      SANDBOX_PORT: String(PORTS.sandbox),
      INBOX_HTTP_PORT: String(PORTS.inboxHttp),
      INBOX_SMTP_PORT: String(PORTS.inboxSmtp),
      DEMO_DB_PORT: String(PORTS.db),
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  demo.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 240_000;
  while (!output.includes("Reconsent is running")) {
    // "[check] …" lines are fixed words: the CI summary names the failed check by them (failed-tests.mjs).
    if (demo.exitCode !== null) throw new Error(`[check] npm run demo stopped\n${output}`);
    if (Date.now() > deadline) throw new Error(`[check] npm run demo did not start in time\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

test.afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo?.once("exit", resolve));
    demo.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
  if (home) rmSync(home, { recursive: true, force: true });
});

// Next's dev client logs "[Fast Refresh] rebuilding" for any compile that outlasts 200 ms, no-op ones included (its
// own comment: Turbopack "reports *any* compilation"), so a loaded machine logs it with nothing changed. An update
// that changed modules, what a person would see, is the one it also reports to this hook; each document counts anew.
const countUpdates = () => {
  const w = window as unknown as { __hmrUpdates: number; __NEXT_HMR_LATENCY_CB: () => void };
  w.__hmrUpdates = 0;
  w.__NEXT_HMR_LATENCY_CB = () => {
    w.__hmrUpdates += 1;
  };
};
const updatesSeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { __hmrUpdates?: number }).__hmrUpdates ?? -1);

/** Opens `url` (or, with `action`, does it), then watches the page for SETTLE_MS. */
async function loadsOnceAndStays(page: Page, open: () => Promise<unknown>) {
  let documents = 0;
  let rebuildingLogs = 0;
  const errors: string[] = [];
  const onLoad = () => {
    documents += 1;
  };
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.text().includes("[Fast Refresh] rebuilding")) rebuildingLogs += 1;
    if (message.type() === "error") errors.push(message.text());
  };
  page.on("domcontentloaded", onLoad);
  page.on("console", onConsole);
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await open();
    await page.waitForLoadState("load");
    await page.waitForTimeout(SETTLE_MS);
    expect(documents, `[check] the page loaded once\n${page.url()} loaded ${documents} times`).toBe(1);
    expect(await updatesSeen(page), "[check] no Fast Refresh update while the page was open").toBe(0);
    expect(errors, "[check] no errors in the console").toEqual([]);
  } finally {
    page.off("domcontentloaded", onLoad);
    page.off("console", onConsole);
    if (rebuildingLogs)
      test.info().annotations.push({ type: "no-op compiles", description: `${rebuildingLogs}` });
  }
}

test("the demo's pages load once and stay put, signed out and signed in", async ({ page }) => {
  await page.addInitScript(countUpdates);
  await loadsOnceAndStays(page, () => page.goto(`${appUrl}/`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  await loadsOnceAndStays(page, () => page.goto(`${appUrl}/signin`));
  // A person typing while the page sits there keeps what they typed.
  await page.getByLabel("Email address").pressSequentially("demo@reconsent.localhost");
  await page.waitForTimeout(1_000);
  await expect(page.getByLabel("Email address")).toHaveValue("demo@reconsent.localhost");

  // A signed-in page, signed out: one redirect to sign-in, one document.
  await loadsOnceAndStays(page, () => page.goto(`${appUrl}/settings`));
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);

  await page.goto(`${appUrl}/signin`);
  await page.getByLabel("Email address").fill("demo@reconsent.localhost");
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/signin\/check-email$/);
  // The inbox's API answers only with this run's token, which the demo leaves in its data folder.
  const inboxApi = `${inboxUrl}/api/messages?to=demo@reconsent.localhost`;
  expect((await fetch(inboxApi)).status).toBe(403);
  const tokens = readLocalTokens(path.join(home, ".data", LOCAL_TOKENS_FILE));
  const headers = { "x-inbox-token": tokens.INBOX_API_TOKEN ?? "" };
  let link: string | undefined;
  for (let i = 0; i < 50 && !link; i++) {
    const messages = (await (await fetch(inboxApi, { headers })).json()) as { text: string }[];
    link = messages[0]?.text.match(/https?:\/\/\S+\/signin\/confirm\S*/)?.[0];
    if (!link) await page.waitForTimeout(200);
  }
  if (!link) throw new Error("[check] a sign-in mail reached the demo's inbox");
  await page.goto(link);
  await loadsOnceAndStays(page, () => page.getByRole("button", { name: "Sign in" }).click());
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  // `npm run clock` finds the running demo's control token and moves the simulator's clock too.
  const clock = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/clock.ts", "0"], {
    cwd: root,
    env: { ...process.env, DEMO_HOME: home },
    encoding: "utf8",
  });
  expect(clock.stdout).toContain("So is the simulator's.");
  expect(`${clock.stdout}${clock.stderr}`).not.toContain(tokens.SANDBOX_CONTROL_TOKEN ?? "no token");

  // The demo's files went to its own home; nothing of them was written into the checkout.
  expect(existsSync(path.join(home, ".env.local"))).toBe(true);
  expect(existsSync(path.join(home, ".data", "pglite"))).toBe(true);
  expect(stamp()).toEqual(before);
  expect(output, "[check] next dev did not rebuild").not.toContain("Compiled in");
  // next dev logs each request's URL: never a sign-in token or a bank's code.
  expect(output).not.toMatch(/[?&](token|code|exchange_code|state)=/);
});
