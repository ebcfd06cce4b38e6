import type { Page } from "@playwright/test";
import { setSeededConnection } from "../kit";
import { longDate } from "./connect-flow";
import { expect, sql, test } from "./fixtures";
import { connectionRow, eventsOf, seedLiveConnection } from "./reconfirm-fixtures";

// Issue 17 points 1, 2 and 5, on a phone-sized screen: "No, stop sharing" stops, one set of status
// words ("sharing from"), and a history per connection.

test.use({ viewport: { width: 360, height: 780 } });

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
const DAY = 86_400_000;

async function dueIn(connectionId: string, days: number): Promise<Date> {
  const end = new Date(Date.now() + days * DAY);
  await setSeededConnection(connectionId, { consentExpiresAt: end });
  return end;
}

/** Mock UK Bank due in 5 days and Harbour in 9, both live at the simulator. */
async function twoBanksDue(userId: string) {
  const mock = await seedLiveConnection(userId, { password: "eternal" });
  const harbour = await seedLiveConnection(userId, { password: "eternal", providerId: "uk-ob-mock-harbour" });
  const nearest = await dueIn(mock.id, 5);
  const later = await dueIn(harbour.id, 9);
  return { mock, harbour, nearest, later };
}

async function bankName(id: string): Promise<string> {
  const [row] = await sql<{ providerName: string }>(`select "providerName" from "Connection" where id = $1`, [
    id,
  ]);
  return row?.providerName ?? "";
}

test("No, stop sharing: names both banks, then revokes them; the dashboard says so with the date", async ({
  page,
  signedIn,
}) => {
  const { mock, harbour } = await twoBanksDue(signedIn.id);
  const names = [await bankName(mock.id), await bankName(harbour.id)];

  await page.goto("/reconfirm");
  await page.getByRole("button", { name: "No, stop sharing" }).click();
  await expect(h1(page)).toHaveText("Stop sharing from 2 banks?");
  const listed = page.getByRole("list", { name: "Banks this applies to" }).getByRole("listitem");
  await expect(listed).toHaveText(names.sort());
  await page.getByRole("button", { name: "Stop sharing from 2 banks" }).click();

  await expect(page).toHaveURL(/\/connections\?stopped=/);
  await expect(page.getByRole("status")).toHaveCount(2);
  const stopped = page.getByRole("region", { name: "Stopped" });
  for (const name of names) {
    await expect(
      stopped.getByRole("article", { name }).getByText(`Stopped by you on ${longDate(new Date())}`),
    ).toBeVisible();
  }
  await expect(page.getByRole("complementary", { name: "Bank access ending" })).toHaveCount(0);
  for (const { id } of [mock, harbour]) {
    expect(await eventsOf(id)).toEqual(["DECLINED", "REVOKED"]);
    expect(await connectionRow(id)).toMatchObject({
      status: "REVOKED",
      accessTokenSealed: null,
      refreshTokenSealed: null,
    });
  }
  await page.goto("/reconfirm");
  await expect(h1(page)).toHaveText("Nothing to renew right now");
});

test("one set of words: Renew by, sharing from, the banner naming the banks and the nearest deadline", async ({
  page,
  signedIn,
}) => {
  const { mock, harbour, nearest, later } = await twoBanksDue(signedIn.id);
  const [mockName, harbourName] = [await bankName(mock.id), await bankName(harbour.id)];

  await page.goto("/connections");
  const banner = page.getByRole("complementary", { name: "Bank access ending" });
  await expect(banner).toContainText(
    `Sharing from ${mockName} and ${harbourName}: renew by ${longDate(nearest)}`,
  );
  await expect(
    page.getByRole("article", { name: mockName }).getByText(`Renew by ${longDate(nearest)}`),
  ).toBeVisible();
  await expect(
    page.getByRole("article", { name: harbourName }).getByText(`Renew by ${longDate(later)}`),
  ).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/sharing with|Expiring soon|Access paused/i);

  await page.goto("/reconfirm");
  await expect(h1(page)).toHaveText("Keep sharing from 2 banks?");
  await expect(
    page.getByText(`Renew by ${longDate(nearest)}. Sharing stops on ${longDate(nearest)} unless you renew.`),
  ).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/sharing with/i);

  await setSeededConnection(mock.id, { consentExpiresAt: new Date(Date.now() - 3 * DAY) });
  // The banner names a paused bank only beside "paused since", never under "renew by" (issue 29 item 3).
  await page.goto("/connections");
  await expect(banner.locator("p")).toHaveText(
    `Sharing from ${harbourName}: renew by ${longDate(later)}. Sharing from ${mockName}: paused since ${longDate(new Date(Date.now() - 3 * DAY))}`,
  );
  await page.goto(`/reconfirm?connection=${mock.id}`);
  await expect(h1(page)).toHaveText(`Keep sharing from ${mockName}?`);
  await expect(
    page.getByText(`Paused since ${longDate(new Date(Date.now() - 3 * DAY))}.`, { exact: false }),
  ).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/Access ended|Data access stopped/);
});

test("history: the reconfirmation with the words seen and its accounts; the card shows last reconfirmed", async ({
  page,
  signedIn,
}) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await dueIn(id, 5);
  const name = await bankName(id);
  const accounts = await sql<{ displayName: string }>(
    `select "displayName" from "BankAccount" where "connectionId" = $1`,
    [id],
  );
  await page.goto(`/reconfirm?connection=${id}`);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(h1(page)).toHaveText(/sharing continues until/);

  await page.goto("/connections");
  const card = page.getByRole("article", { name });
  await expect(card.locator("dl > div", { hasText: "Last reconfirmed" }).locator("dd")).toHaveText(
    longDate(new Date()),
  );
  await card.getByRole("link", { name: `History of ${name}` }).click();
  await expect(h1(page)).toHaveText(`History: ${name}`);
  const entries = page.getByRole("list", { name: "What happened, newest first" }).locator(":scope > li");
  await expect(entries.locator("p.font-semibold").first()).toHaveText(/^Renewed until /);
  await expect(entries.nth(1)).toContainText("You reconfirmed");
  await expect(entries.last()).toContainText("Connected");
  await entries.nth(1).getByText("What you agreed to").click();
  await expect(entries.nth(1).getByText(`Keep sharing from ${name}?`)).toBeVisible();
  for (const account of accounts) await expect(entries.nth(1)).toContainText(account.displayName);
  await expect(entries.nth(1)).toContainText("Wording version 4");
});
