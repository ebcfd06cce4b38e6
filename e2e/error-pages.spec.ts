import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_PORTS } from "./ports";

// A page that throws shows our own page, never Next's default one or a stack. The throw is a real one: the
// same production build, started against a database that does not answer, so every signed-in page fails
// where it reads its session (the (app) layout, whose errors only the root error page can catch).
const root = path.resolve(import.meta.dirname, "..");
const port = E2E_PORTS.app + 60;
const appUrl = `http://127.0.0.1:${port}`;
let server: ChildProcess | undefined;
let output = "";

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const stack = JSON.parse(process.env.E2E_ENV ?? "{}") as Record<string, string>;
  server = spawn(
    process.execPath,
    [
      path.join(root, "node_modules/next/dist/bin/next"),
      "start",
      "--port",
      String(port),
      "--hostname",
      "127.0.0.1",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ...stack,
        NODE_OPTIONS: "",
        // The runner's own NODE_ENV (test) would start the server on React's development build.
        NODE_ENV: "production",
        APP_URL: appUrl,
        // Nothing listens on port 9 (discard): every query fails to connect.
        DATABASE_URL: "postgresql://postgres@127.0.0.1:9/nothing",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  server.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  server.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const answered = await fetch(`${appUrl}/privacy`).then(
      (r) => r.status,
      () => 0,
    );
    if (answered > 0) break;
    if (Date.now() > deadline) throw new Error(`The second server did not start:\n${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

for (const page of ["/connections", "/reconfirm", "/settings", "/settings/data", "/operator/funnel"]) {
  test(`a throw on ${page} shows our error page, with no stack or database detail`, async ({ browser }) => {
    // With JavaScript on: React renders error boundaries in the browser only, so a page that fails on the server
    // is sent as an empty 500 document that the browser fills in (without JavaScript it stays empty).
    const context = await browser.newContext();
    await context.addCookies([
      {
        name: "next-auth.session-token",
        value: "0".repeat(64),
        url: appUrl,
        httpOnly: true,
        sameSite: "Lax",
      },
    ]);
    const tab = await context.newPage();
    await tab.goto(`${appUrl}${page}`);
    await expect(tab.getByRole("heading", { level: 1 })).toHaveText("Something went wrong on our side");
    await expect(tab.getByText("We couldn't show this page just now.")).toBeVisible();
    // The whole document, the framework's payload included: the error's message and stack never leave the server.
    const html = await tab.content();
    expect(html).not.toMatch(/ECONNREFUSED|PrismaClient|127\.0\.0\.1:9\b|\n\s+at \S+ \(|Application error/i);
    await expect(tab.getByRole("button", { name: "Try again" })).toBeVisible();
    await context.close();
  });
}
