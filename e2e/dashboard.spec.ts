import AxeBuilder from "@axe-core/playwright";
import { connectInBrowser, longDate } from "./connect-flow";
import { expect, moveClocks, sql, test } from "./fixtures";

// fixtures.ts resets the clocks in a top-level afterEach, which Playwright binds only to the first spec
// file that loads it in a worker; reset here too so these tests start, and leave, at today's date.
test.beforeEach(async () => {
  await moveClocks(0);
});
test.afterEach(async () => {
  await moveClocks(0);
});

test("the banner appears once access is ending and links to the reconfirmation", async ({
  page,
  signedIn,
}) => {
  await connectInBrowser(page);
  await page.goto("/connections");
  const banner = page.getByRole("complementary", { name: "Bank access ending" });
  await expect(banner).toHaveCount(0);

  await moveClocks(80);
  await page.goto("/connections");
  const [row] = await sql<{ consentExpiresAt: Date }>(
    `select "consentExpiresAt" from "Connection" where "userId" = $1`,
    [signedIn.id],
  );
  if (!row) throw new Error("no connection");
  await expect(banner).toContainText(`Sharing from Mock UK Bank: renew by ${longDate(row.consentExpiresAt)}`);
  await expect(banner.getByRole("link", { name: "Review now" })).toHaveAttribute("href", "/reconfirm");
  const card = page.getByRole("article", { name: "Mock UK Bank" });
  await expect(card.getByText(`Renew by ${longDate(row.consentExpiresAt)}`)).toBeVisible();
  await expect(card.getByRole("link", { name: /reconfirm/i })).toHaveAttribute(
    "href",
    /\/reconfirm\?connection=/,
  );

  await page.goto("/settings");
  await expect(banner).toBeVisible();
});

test("several due connections are named in one line, with the nearest deadline", async ({
  page,
  signedIn: _,
}) => {
  await connectInBrowser(page);
  await connectInBrowser(page);
  await moveClocks(80);
  await page.goto("/connections");
  await expect(page.getByRole("complementary", { name: "Bank access ending" })).toContainText(
    /^Sharing from Mock UK Bank: renew by \d{1,2} \w+ \d{4}/,
  );
});

test("the dashboard works at 360px wide and passes an accessibility scan", async ({ page, signedIn: _ }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await connectInBrowser(page);
  await page.goto("/connections");
  await expect(page.getByRole("article", { name: "Mock UK Bank" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Connect a bank" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const scan = await new AxeBuilder({ page }).include("main").analyze();
  expect(scan.violations).toEqual([]);
});
