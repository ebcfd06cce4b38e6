// Issue 29 item 8: renewing several banks at once. Before the bank trip the user is told what is already done
// and what the trip is for; the result page names every bank with its own status, and shows balances.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ageConnections, eventsOf, inDays, seedLiveConnection } from "./reconfirm-fixtures";

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
const MOCK = "Mock UK Bank";
const HARBOUR = "Harbour Building Society";

test("two banks, one needing the bank: said before the trip, and every bank with its status after it, at 360 px", async ({
  page,
  signedIn,
}) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const mock = await seedLiveConnection(signedIn.id, { password: "eternal" });
  const harbour = await seedLiveConnection(signedIn.id, {
    password: "doe",
    providerId: "uk-ob-mock-harbour",
  });
  await ageConnections(80, [mock, harbour]);
  await page.goto("/reconfirm");
  await page.getByRole("checkbox", { name: new RegExp(MOCK) }).check();
  await page.getByRole("checkbox", { name: new RegExp(HARBOUR) }).check();
  await page.getByRole("button", { name: "Keep sharing from the selected banks" }).click();

  // Not the bank page yet: what is done, and what the trip is for.
  await expect(page).toHaveURL(/\/reconfirm\/done\?r=/);
  await expect(h1(page)).toHaveText("1 of 2 banks done");
  await expect(page.getByText(`${MOCK}: sharing continues until ${inDays(170)}`)).toBeVisible();
  await expect(page.getByText(`${HARBOUR}: your bank needs you to confirm`)).toBeVisible();
  await expect(
    page.getByText(`We'll take you to ${HARBOUR} to confirm it's you, then bring you back here.`),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your balances now" })).toBeVisible();
  // With several banks on the page, the figures say whose they are.
  await expect(page.getByRole("heading", { level: 3, name: MOCK })).toBeVisible();
  expect(await eventsOf(mock.id)).toEqual(["EXTENDED"]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/several-banks-before-trip-360.png", fullPage: true });

  await page.getByRole("button", { name: `Continue to ${HARBOUR}` }).click();
  await expect(page).toHaveURL(/\/_bank\/reauth\//);
  await page.getByLabel("Password").fill("doe");
  await page.getByRole("button", { name: "Approve" }).click();

  // Back: the heading names every bank, each card says its own status, and the balances show.
  await expect(h1(page)).toHaveText(`Done: sharing continues from ${HARBOUR} and ${MOCK}`);
  const cards = page.getByRole("listitem").filter({ hasText: /sharing continues until/ });
  await expect(cards).toHaveCount(2);
  await expect(page.getByText(`${MOCK}: sharing continues until ${inDays(170)}`)).toBeVisible();
  await expect(page.getByText(new RegExp(`^${HARBOUR}: sharing continues until`))).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your balances now" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/several-banks-after-trip-360.png", fullPage: true });
  expect(await eventsOf(harbour.id)).toContain("COMPLETED_AT_BANK");
});
