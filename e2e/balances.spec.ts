import type { Page } from "@playwright/test";
import { setSeededConnection } from "../kit";
import { audit } from "./a11y";
import { connectInBrowser } from "./connect-flow";
import { expect, moveClocks, test } from "./fixtures";
import { seedLiveConnection } from "./reconfirm-fixtures";

// Balances on the dashboard: read after a connect, kept (and said to be old) while access is paused,
// read again right after a renewal; the "Check again" link works without JavaScript.

// A browser set to Tokyo still reads London times, each with its zone (issue 29 item 14).
test.use({ timezoneId: "Asia/Tokyo" });

const card = (page: Page, bank: string) => page.getByRole("article", { name: bank });
const figures = (page: Page, bank: string) => card(page, bank).getByText(/^Updated /);

test("balances appear after a connect", async ({ page, signedIn: _ }) => {
  await connectInBrowser(page);
  // Read after /callback answered: a reload shows them once the read has finished.
  await expect(async () => {
    await page.goto("/connections");
    await expect(figures(page, "Mock UK Bank").first()).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  const bank = card(page, "Mock UK Bank");
  await expect(bank.getByText("Current", { exact: true }).first()).toBeVisible();
  await expect(bank.getByText("Available", { exact: true }).first()).toBeVisible();
  await expect(bank.getByText(/^£[\d,]+\.\d\d$|^-£[\d,]+\.\d\d$/).first()).toBeVisible();
  await expect(figures(page, "Mock UK Bank").first()).toHaveText(/^Updated today at \d\d:\d\d (GMT|BST)$/);
  await audit(page, "dashboard with balances");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a paused connection keeps its figures; after a renewal they are fresh", async ({
    page,
    signedIn,
  }) => {
    const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
    await page.goto("/connections");
    // Never read yet: the page reads after the response and offers the link that shows the result.
    await expect(card(page, "Mock UK Bank").getByText("Balance not read yet").first()).toBeVisible();
    await expect(async () => {
      await card(page, "Mock UK Bank")
        .getByRole("link", { name: "Check again for Mock UK Bank balances" })
        .click();
      await expect(figures(page, "Mock UK Bank").first()).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 15_000 });

    // Access pauses (the app's end date passed); two hours on, the bank's figures have moved.
    await setSeededConnection(id, { consentExpiresAt: new Date(Date.now() - 60_000) });
    await moveClocks(2 / 24);
    await page.goto("/connections");
    const paused = await figures(page, "Mock UK Bank").first().textContent();
    expect(paused).toMatch(/^Updated .* · not updated since access paused$/);

    await page.goto(`/reconfirm?connection=${id}`);
    await page.getByRole("button", { name: "Yes, keep sharing" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      /^Mock UK Bank: sharing continues until/,
    );
    // Read before the result was shown: the result ends on them, and the dashboard has them at once.
    const now = page.getByRole("region", { name: "Your balances now" });
    await expect(now.getByText(/^Updated today at \d\d:\d\d (GMT|BST)$/).first()).toBeVisible();
    await page.goto("/connections");
    const fresh = figures(page, "Mock UK Bank").first();
    await expect(fresh).toHaveText(/^Updated today at \d\d:\d\d (GMT|BST)$/);
    expect(await fresh.textContent()).not.toBe(paused);
    await expect(card(page, "Mock UK Bank").getByRole("link", { name: /Check again/ })).toHaveCount(0);
  });
});
