// Issue 29 item 4: a bank page left behind by a newer trip. Approving it once the bank was renewed says what is
// true now, and offers nothing that would connect the bank a second time.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { eventsOf, inDays, seedLiveConnection } from "./reconfirm-fixtures";

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

async function approveAtBank(page: Page) {
  await page.getByLabel("Password").fill("doe");
  await page.getByRole("button", { name: "Approve" }).click();
}

test("go to the bank, Back, Yes again, finish; then approve the old bank page: already renewed, nothing to connect", async ({
  page,
  signedIn,
}) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const { id } = await seedLiveConnection(signedIn.id, { password: "doe" });
  await page.goto(`/reconfirm?connection=${id}`);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page).toHaveURL(/\/_bank\/reauth\//);
  const oldBankPage = page.url();

  await page.goBack();
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  // The trip under way is said; going on asks the bank for a new page.
  await page.getByRole("button", { name: "Continue to Mock UK Bank" }).click();
  await expect(page).toHaveURL(/\/_bank\/reauth\//);
  expect(page.url()).not.toBe(oldBankPage);
  await approveAtBank(page);
  await expect(h1(page)).toHaveText(/^Mock UK Bank: sharing continues until/);
  const renewals = (await eventsOf(id)).filter((t) => t === "COMPLETED_AT_BANK").length;

  await page.goto(oldBankPage);
  await approveAtBank(page);
  await expect(h1(page)).toHaveText("Mock UK Bank is already renewed");
  await expect(page.getByText(`Already renewed on ${inDays(0)}: nothing more to do.`)).toBeVisible();
  await expect(page.getByText(/couldn't finish|no data was shared/i)).toHaveCount(0);
  // Nothing on the page starts a connection (the connect form is a button, "Start again" or "Connect …").
  await expect(page.getByRole("button", { name: /start again|connect/i })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Back to your connections" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/stale-bank-page-360.png", fullPage: true });
  expect((await eventsOf(id)).filter((t) => t === "COMPLETED_AT_BANK").length).toBe(renewals);
});
