import type { Page } from "@playwright/test";
import { audit, unsubscribePath } from "./a11y";
import { createUser, expect, signIn, test } from "./fixtures";

// Every page and state a visitor can land on before a dashboard, scanned with axe-core for WCAG 2.2
// A/AA and checked at 360px wide (e2e/a11y.ts); the signed-in pages are in accessibility-app.spec.ts.
// One page per test, or a page and the state one press leaves it in, so each test stays far inside the
// suite's timeout on a slow machine (issue 30 item 7).

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
/** An error announced to screen readers (role=alert) that holds the error's own words. */
const alertSaying = (page: Page, text: string) => page.getByRole("alert").filter({ hasText: text });

test("home", async ({ page }) => {
  await page.goto("/");
  await audit(page, "home");
});

test("sign-in, and with a validation error", async ({ page }) => {
  await page.goto("/signin");
  await audit(page, "sign-in");
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(alertSaying(page, "Enter your email address.")).toBeVisible();
  await audit(page, "sign-in with a validation error");
});

test("sign-in after a bad link, and check email", async ({ page }) => {
  await page.goto("/signin?error=Verification");
  await audit(page, "sign-in after a bad link");
  await page.getByLabel("Email address").fill(`a11y-${Date.now()}@example.test`);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(h1(page)).toHaveText("Check your email");
  await audit(page, "check email");
});

test("confirm sign-in, and an incomplete link", async ({ page }) => {
  await page.goto(`/signin/confirm?token=${"a".repeat(64)}&email=someone%40example.test`);
  await expect(h1(page)).toHaveText("This link was asked for on another device");
  await audit(page, "confirm sign-in, link asked for elsewhere");
  await page.goto("/signin/confirm");
  await audit(page, "confirm sign-in, incomplete link");
});

test("sign-in error: an expired link and any other", async ({ page }) => {
  await page.goto("/signin/error?error=Verification");
  await audit(page, "sign-in error (expired link)");
  await page.goto("/signin/error");
  await audit(page, "sign-in error (other)");
});

test("not found, signed out", async ({ page }) => {
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(h1(page)).toHaveText("We couldn't find that page");
  await audit(page, "not found");
});

test("sign-in, a link refused", async ({ page }) => {
  const email = `a11y-refused-${Date.now()}@example.test`;
  // Three free links and one paced one; the fifth inside ten minutes is pointed at the inbox (decision 039).
  for (let i = 0; i < 5; i++) {
    await page.goto("/signin");
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    if (i < 4) await expect(h1(page)).toHaveText("Check your email");
  }
  await expect(alertSaying(page, "We didn't send another link")).toBeVisible();
  await audit(page, "sign-in, link refused");
});

test("unsubscribe: the question and the result", async ({ page, user }) => {
  await page.goto(unsubscribePath(user.id));
  await expect(h1(page)).toHaveText("Stop reminder emails?");
  await audit(page, "unsubscribe");
  await page.getByRole("button", { name: "Stop reminder emails" }).click();
  await expect(h1(page)).toHaveText("Reminder emails stopped");
  await audit(page, "unsubscribed");
});

test("unsubscribe, a broken link", async ({ page }) => {
  await page.goto("/unsubscribe?token=broken");
  await audit(page, "unsubscribe, broken link");
});

test("welcome, with and without a name error", async ({ context, page }) => {
  const user = await createUser({ name: null });
  await signIn(context, user);
  await page.goto("/welcome");
  await expect(h1(page)).toHaveText("Welcome to Reconsent");
  await audit(page, "welcome");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(alertSaying(page, "Enter your full name.")).toBeVisible();
  await audit(page, "welcome with a validation error");
});

for (const path of ["/privacy", "/terms"]) {
  test(`${path}, signed out`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole("note")).toContainText("Placeholder text");
    await audit(page, `${path}, signed out`);
  });
}

test("privacy and not found, signed in", async ({ page, signedIn: _ }) => {
  await page.goto("/privacy");
  await audit(page, "privacy, signed in");
  await page.goto("/no-such-page");
  await expect(h1(page)).toHaveText("We couldn't find that page");
  await audit(page, "not found, signed in");
});

test("declined, with nothing to show", async ({ page, signedIn: _ }) => {
  await page.goto("/reconfirm/declined?c=bogus");
  await expect(h1(page)).toHaveText("No bank connection to show");
  await audit(page, "declined, nothing to show");
});
