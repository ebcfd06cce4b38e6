import { expect, test } from "@playwright/test";
import { startSecondServer } from "./second-server";

// A page that throws shows our own page, never Next's default one or a stack. The throw is a real one: the
// same production build, started against a database that does not answer, so every signed-in page fails
// where it reads its session (the (app) layout, whose errors only the root error page can catch).
let appUrl = "";
let stopServer: (() => void) | undefined;

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const server = await startSecondServer(
    {
      // The runner's own NODE_ENV (test) would start the server on React's development build.
      NODE_ENV: "production",
      // Nothing listens on port 9 (discard): every query fails to connect.
      DATABASE_URL: "postgresql://postgres@127.0.0.1:9/nothing",
    },
    { readyPath: "/privacy", ready: () => true },
  );
  appUrl = server.origin;
  stopServer = server.stop;
});

test.afterAll(() => {
  stopServer?.();
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
