import { scanText } from "../scripts/lib/secret-scan.mjs";
import { connectInBrowser, connectionsOf, longDate } from "./connect-flow";
import { expect, pageAlert, sql, test } from "./fixtures";

test("connects the Mock UK Bank from the dashboard and shows it in plain words", async ({
  page,
  signedIn,
}) => {
  await page.goto("/connections");
  await expect(page.getByRole("heading", { name: "No bank connected yet" })).toBeVisible();
  const callback = page.waitForRequest(/\/callback\?/);
  await connectInBrowser(page);
  expect(new URL((await callback).url()).searchParams.get("code")).toBeTruthy();

  const [row] = await connectionsOf(signedIn.id);
  if (!row) throw new Error("no connection stored");
  const until = `Sharing until ${longDate(row.consentExpiresAt)}`;
  await expect(page).toHaveURL(/\/connections\/result\/[^/]+$/);
  await expect(page.getByText(`${until}.`)).toBeVisible();

  await page.getByRole("link", { name: "See your connections" }).click();
  const card = page.getByRole("article", { name: "Mock UK Bank" });
  await expect(card.getByRole("img", { name: "Mock UK Bank logo" })).toBeVisible();
  await expect(card.getByText("Active")).toBeVisible();
  await expect(card.getByText(`${until}.`)).toBeVisible();
  await expect(card.getByText("Current Account")).toBeVisible();
  await expect(card.getByText("Instant Saver")).toBeVisible();
  await expect(card.getByText(/•••• \d{4}/).first()).toBeVisible();
  await expect(card.getByText("Account names, numbers and types")).toBeVisible();
  await expect(card.getByText("Access while you are not using the app")).toBeVisible();
  await expect(card.getByText("So Reconsent can keep your budget up to date.")).toBeVisible();
  expect(scanText(String(row.accessTokenSealed), "accessTokenSealed")).toEqual([]);
});

test("a reload of the callback URL shows the same finished result", async ({ page, signedIn }) => {
  const callback = page.waitForRequest(/\/callback\?/);
  await connectInBrowser(page);
  const resultUrl = page.url();
  await page.goto((await callback).url());
  await expect(page).toHaveURL(resultUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mock UK Bank is connected.");
  expect(await connectionsOf(signedIn.id)).toHaveLength(1);
});

test("cancelling on the bank-choice screen says nothing was sent to a bank and stores nothing", async ({
  page,
  signedIn,
}) => {
  await page.goto("/connections");
  await page.getByRole("button", { name: "Connect a bank" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You cancelled — nothing changed");
  await expect(
    page.getByText("If you cancelled on the bank-choice screen, nothing was sent to any bank."),
  ).toBeVisible();
  await expect(page.getByText(/cancelled at your bank/i)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
  expect(await connectionsOf(signedIn.id)).toHaveLength(0);
});

test("a forged state is refused: error page, code not used, nothing stored", async ({ page, signedIn }) => {
  // The dialog's answer is a redirect to /callback; swap its state for one we never issued.
  await page.route(/\/_dialog\/[^/]+\/login$/, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = new URL(response.headers().location ?? "");
    location.searchParams.set("state", "forged-state-that-we-never-issued");
    await route.fulfill({ status: 303, headers: { location: location.toString() } });
  });
  await page.goto("/connections");
  await page.getByRole("button", { name: "Connect a bank" }).click();
  await page.getByRole("button", { name: "Mock UK Bank" }).click();
  await page.getByLabel("Username").fill("john");
  await page.getByLabel("Password").fill("eternal");
  await page.getByRole("button", { name: "Log in and allow access" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We couldn't finish connecting your bank");
  await expect(pageAlert(page)).toContainText("Nothing was changed");
  expect(await connectionsOf(signedIn.id)).toHaveLength(0);
  expect(await sql(`select id from "CodeExchange" where "userId" = $1`, [signedIn.id])).toHaveLength(0);
});

test("the callback never caches and never leaks a referrer", async ({ request }) => {
  const res = await request.get("/callback?error=access_denied", { maxRedirects: 0 });
  expect(res.status()).toBe(303);
  expect(res.headers()["cache-control"]).toContain("no-store");
  expect(res.headers()["referrer-policy"]).toBe("no-referrer");
  expect(res.headers().location).toMatch(/\/connections\/cancelled$/);
});

test("connecting a bank the user already shares from says there are now two, and lets it be (issue 29 item 12)", async ({
  page,
  signedIn,
}) => {
  const twice = /You were already sharing from Mock UK Bank, so you now have 2 connections to it/;
  await connectInBrowser(page);
  await expect(page.getByText(twice)).toHaveCount(0);
  await connectInBrowser(page);
  await expect(page.getByText(twice)).toBeVisible();
  await expect(
    page.getByText(/If you don't need both, stop sharing from the one you don't need/),
  ).toBeVisible();
  const rows = await connectionsOf(signedIn.id);
  expect(rows.map((r) => r.status)).toEqual(["ACTIVE", "ACTIVE"]);
});

test("a stopped bank's card offers 'Connect again' as a quiet link, not a loud button (issue 29 item 12)", async ({
  page,
  signedIn,
}) => {
  await connectInBrowser(page);
  const [row] = await connectionsOf(signedIn.id);
  await page.goto(`/connections/${row?.id}/stop`);
  await page.getByRole("button", { name: "Stop sharing", exact: true }).click();
  await expect(page).toHaveURL(/\/connections\?stopped=/);
  const again = page
    .getByRole("article", { name: "Mock UK Bank" })
    .getByRole("button", { name: "Connect again Mock UK Bank" });
  await expect(again).toBeVisible();
  const look = await again.evaluate((b) => {
    const style = getComputedStyle(b);
    return { background: style.backgroundColor, underline: style.textDecorationLine };
  });
  expect(look).toEqual({ background: "rgba(0, 0, 0, 0)", underline: "underline" });
  // The live "Connect a bank" stays the loud one.
  const primary = await page
    .getByRole("button", { name: "Connect a bank" })
    .first()
    .evaluate((b) => getComputedStyle(b).backgroundColor);
  expect(primary).not.toBe("rgba(0, 0, 0, 0)");
});
