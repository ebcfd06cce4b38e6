import type { Page } from "@playwright/test";
import { createUser, e2eEnv, expect, moveClocks, signIn, sql, test } from "./fixtures";
import { formWith, getHtml, postForm } from "./forms";
import {
  ageConnections,
  connectionRow,
  eventsOf,
  inDays,
  seedLiveConnection,
  setAppClient,
} from "./reconfirm-fixtures";

async function approveAtBank(page: Page, password = "doe") {
  await expect(page).toHaveURL(/\/_bank\/reauth\//);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Approve" }).click();
}

test("john/eternal on day 80: one yes, new end date, tokens and wording recorded", async ({
  page,
  signedIn,
}) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "eternal" });
  const { id } = seeded;
  await ageConnections(80, [seeded]);
  const before = await connectionRow(id);
  await page.goto("/connections");
  await expect(page.getByText(/^Renew by \d{1,2} \w+ \d{4}$/).first()).toBeVisible();
  await page.goto("/reconfirm");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keep sharing from Mock UK Bank?");
  await expect(
    page.getByText(
      /TrueLayer Limited, authorised by the Financial Conduct Authority \(FCA\) with firm reference number 901096/,
    ),
  ).toBeVisible();
  await expect(page.getByText(`Until ${inDays(170)}, 90 days from today`)).toBeVisible();
  await expect(page.getByRole("link", { name: /end-user terms/ })).toHaveAttribute(
    "href",
    "https://truelayer.com/legal/enduser_tos/",
  );
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `Mock UK Bank: sharing continues until ${inDays(170)}`,
  );

  const after = await connectionRow(id);
  expect(after.accessTokenSealed).not.toBe(before.accessTokenSealed);
  expect(after.refreshTokenSealed).not.toBe(before.refreshTokenSealed);
  expect(await eventsOf(id)).toEqual(["EXTENDED"]);
  const [record] = await sql<{ copyHash: string }>(
    `select r."copyHash" from "Reconfirmation" r join "ReconfirmationOwner" o on o."reconfirmationId" = r.id where o."userId" = $1`,
    [signedIn.id],
  );
  expect(record?.copyHash).toMatch(/^[0-9a-f]{64}$/);
});

test("john/doe: to the bank and back, then a reload shows the finished result", async ({
  page,
  signedIn,
}) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "doe" });
  const { id } = seeded;
  await ageConnections(80, [seeded]);
  await page.goto("/reconfirm");
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await approveAtBank(page);
  await expect(page).toHaveURL(/\/reconfirm\/progress\?exchange=/);
  const heading = `Mock UK Bank: sharing continues until ${inDays(170)}`;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
  expect((await connectionRow(id)).status).toBe("ACTIVE");
  expect(await eventsOf(id)).toEqual(["SENT_TO_BANK", "COMPLETED_AT_BANK"]);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
});

test("john/doe returning in a browser without cookies: nothing is called until the owner signs in there", async ({
  page,
  signedIn,
  browser,
}) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "doe" });
  const before = await connectionRow(id);
  await page.goto(`/reconfirm?connection=${id}`);
  await page.route(/\/_bank\/reauth\//, (route) => route.abort());
  const bankRequest = page.waitForRequest(/\/_bank\/reauth\//);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  const bankUrl = (await bankRequest).url();

  const other = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  const phone = await other.newPage();
  await phone.goto(bankUrl);
  await approveAtBank(phone);
  // The bank app's browser has neither this trip's cookie nor a session: the code waits there, unused.
  await expect(phone).toHaveURL(/\/connections\/returned$/);
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText("Sign in to finish renewing");
  expect(await connectionRow(id)).toEqual(before);
  expect(await eventsOf(id)).toEqual(["SENT_TO_BANK"]);

  await signIn(other, signedIn);
  await phone.goto("/connections/returned");
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText("Finish renewing Mock UK Bank");
  await phone.getByRole("button", { name: "Finish renewing" }).click();
  await expect(phone).toHaveURL(/\/reconfirm\/progress\?exchange=/);
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText(
    `Mock UK Bank: sharing continues until ${inDays(90)}`,
  );
  const after = await connectionRow(id);
  expect(after.accessTokenSealed).not.toBe(before.accessTokenSealed);
  expect(await eventsOf(id)).toEqual(["SENT_TO_BANK", "COMPLETED_AT_BANK"]);
  await other.close();
});

test("nothing ticked: an error summary at the top, focused at 360 px, links to the first bank (issue 29 item 10)", async ({
  page,
  signedIn,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const seeded = [];
  for (const providerId of ["uk-cs-mock", "uk-ob-mock-harbour"])
    seeded.push(await seedLiveConnection(signedIn.id, { password: "eternal", providerId }));
  await ageConnections(80, seeded);
  await page.goto("/reconfirm");
  await page.getByRole("button", { name: "Keep sharing from the selected banks" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await expect(summary).toBeFocused();
  await expect(summary).toBeInViewport();
  await page.screenshot({ path: "test-results/reconfirm-error-summary-focused-360.png" });
  await expect(page.getByText("Please check the highlighted fields.")).toHaveCount(0);
  await page.getByRole("group", { name: "Choose the banks to keep sharing from" }).scrollIntoViewIfNeeded();
  await expect(
    page.getByRole("group", { name: "Choose the banks to keep sharing from" }),
  ).toHaveAccessibleDescription(/Choose at least one bank/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await summary.getByRole("link", { name: "Choose at least one bank" }).click();
  const first = page.getByRole("checkbox", { name: /Harbour Building Society/ });
  await expect(first).toBeFocused();
  await expect(first).toBeInViewport();
  await page.screenshot({ path: "test-results/reconfirm-error-summary-360.png" });
});

test("three banks due, one left unticked: two extended, the third untouched", async ({ page, signedIn }) => {
  const banks = ["uk-cs-mock", "uk-ob-mock-harbour", "uk-oauth-mock-kestrel"];
  const seeded = [];
  for (const providerId of banks) {
    seeded.push(await seedLiveConnection(signedIn.id, { password: "eternal", providerId }));
  }
  const ids = seeded.map((c) => c.id);
  await ageConnections(80, seeded);
  const untouched = await connectionRow(ids[2] ?? "");
  await page.goto("/reconfirm");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keep sharing from 3 banks?");
  for (const box of await page.getByRole("checkbox").all()) await expect(box).not.toBeChecked();
  await page.getByRole("button", { name: "Keep sharing from the selected banks" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Choose at least one bank" })).toBeVisible();
  await page.getByRole("checkbox", { name: /Mock UK Bank/ }).check();
  await page.getByRole("checkbox", { name: /Harbour Building Society/ }).check();
  await page.getByRole("button", { name: "Keep sharing from the selected banks" }).click();
  await expect(page.getByText(`Mock UK Bank: sharing continues until ${inDays(170)}`)).toBeVisible();
  await expect(
    page.getByText(`Harbour Building Society: sharing continues until ${inDays(170)}`),
  ).toBeVisible();
  expect(await eventsOf(ids[0] ?? "")).toEqual(["EXTENDED"]);
  expect(await eventsOf(ids[1] ?? "")).toEqual(["EXTENDED"]);
  expect(await eventsOf(ids[2] ?? "")).toEqual([]);
  expect(await connectionRow(ids[2] ?? "")).toEqual(untouched);
});

test("a lapsed connection (day 95) is renewed without connecting again", async ({ page, signedIn }) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await ageConnections(95, [seeded]);
  await page.goto("/reconfirm");
  await expect(page.getByText(/^Paused since \d{1,2} \w+ \d{4}\. .*You can still renew here/)).toBeVisible();
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `Mock UK Bank: sharing continues until ${inDays(185)}`,
  );
});

test("a dead refresh token: told plainly and offered to connect again", async ({ page, signedIn }) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await moveClocks(80);
  await page.goto("/reconfirm");
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Mock UK Bank: connect again to keep sharing",
  );
  await expect(page.getByRole("button", { name: "Connect Mock UK Bank again" })).toBeVisible();
  expect((await connectionRow(id)).status).toBe("NEEDS_BANK_AUTH");
});

test("john/norotate keeps the refresh token it sent", async ({ page, signedIn }) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "norotate" });
  const before = await connectionRow(id);
  await page.goto(`/reconfirm?connection=${id}`);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Mock UK Bank: sharing continues until/);
  const after = await connectionRow(id);
  expect(after.refreshTokenSealed).toBe(before.refreshTokenSealed);
  expect(after.accessTokenSealed).not.toBe(before.accessTokenSealed);
});

test("before TrueLayer reviews the screen: tokens kept, reconnect offered with the reason", async ({
  page,
  signedIn,
}) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  const before = await connectionRow(id);
  await setAppClient({ consentScreenReviewed: false });
  try {
    await page.goto(`/reconfirm?connection=${id}`);
    await page.getByRole("button", { name: "Yes, keep sharing" }).click();
    await expect(page.getByText(/isn't switched on for Reconsent yet/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Connect Mock UK Bank again" })).toBeVisible();
  } finally {
    await setAppClient({ consentScreenReviewed: true });
  }
  expect(await connectionRow(id)).toEqual(before);
});

test("john/reconfirm: TrueLayer's dialog, then back with the new end date", async ({ page, signedIn }) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "reconfirm" });
  await page.goto(`/reconfirm?connection=${id}`);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await page.getByLabel("Password").fill("reconfirm");
  await page.getByRole("button", { name: "Log in and allow access" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Mock UK Bank: sharing continues until/);
  expect(await eventsOf(id)).toEqual(["SENT_TO_BANK", "COMPLETED_AT_BANK"]);
});

test("no: a confirmation naming the bank; going back changes nothing", async ({ page, signedIn }) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "eternal" });
  const { id } = seeded;
  await ageConnections(80, [seeded]);
  const before = await connectionRow(id);
  await page.goto("/reconfirm");
  await page.getByRole("button", { name: "No, stop sharing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Stop sharing from Mock UK Bank?");
  expect(await eventsOf(id)).toEqual([]);
  await page.getByRole("link", { name: "Go back, change nothing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keep sharing from Mock UK Bank?");
  await page.getByRole("link", { name: "Not now: decide later, nothing changes" }).click();
  // "Not now" says that nothing changed and when the next reminder comes (issue 29 item 13).
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nothing changed");
  const london = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: "Europe/London",
    }).format(d);
  await expect(
    page.getByText(`Sharing from Mock UK Bank: renew by ${london(before.consentExpiresAt)}`),
  ).toBeVisible();
  await expect(
    page.getByText("A reminder email about it is due: it goes out with our next daily run."),
  ).toBeVisible();
  await sql(
    `insert into "Reminder" (id, "connectionId", "userId", "consentExpiresAt", threshold, status, "claimedAt", "sentAt")
     values ($1, $2, $3, $4, 14, 'SENT', now(), now())`,
    [`rem-${id}`, id, signedIn.id, before.consentExpiresAt],
  );
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload();
  const seven = new Date(before.consentExpiresAt.getTime() - 7 * 86_400_000);
  await expect(page.getByText(`We'll email you a reminder on ${london(seven)} or soon after.`)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/reconfirm-not-now-360.png", fullPage: true });
  await page.getByRole("link", { name: "Back to your connections" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  expect(await eventsOf(id)).toEqual([]);
  // The dashboard may refresh the access token to read balances; the consent itself is untouched.
  const after = await connectionRow(id);
  expect({ status: after.status, until: after.consentExpiresAt }).toEqual({
    status: before.status,
    until: before.consentExpiresAt,
  });
});

test("another user's connection id slipped into the form is refused and nothing changes", async ({
  browser,
}) => {
  const me = await createUser();
  const mine = await seedLiveConnection(me.id, { password: "eternal" });
  const stranger = await createUser();
  const theirs = await seedLiveConnection(stranger.id, { password: "eternal" });
  // Without JavaScript the browser posts exactly what the form holds, so the tampered value reaches
  // the server action as an attacker would send it.
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: e2eEnv().APP_URL });
  await signIn(context, me);
  const page = await context.newPage();
  await page.goto(`/reconfirm?connection=${mine.id}`);
  await page.locator('input[name="connectionId"]').evaluate((input, foreign) => {
    (input as HTMLInputElement).value = foreign;
  }, theirs.id);
  await page.locator('input[name="shownConnectionId"]').evaluate((input, foreign) => {
    (input as HTMLInputElement).value = foreign;
  }, theirs.id);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /couldn't find those banks/ })).toBeVisible();
  expect(await eventsOf(theirs.id)).toEqual([]);
  expect(await eventsOf(mine.id)).toEqual([]);
  await context.close();
});

test("works with JavaScript turned off", async ({ browser }) => {
  const user = await createUser();
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: e2eEnv().APP_URL });
  await signIn(context, user);
  const page = await context.newPage();
  const banks = ["uk-cs-mock", "uk-ob-mock-harbour"];
  const seeded = [];
  for (const providerId of banks)
    seeded.push(await seedLiveConnection(user.id, { password: "eternal", providerId }));
  await ageConnections(80, seeded);
  await page.goto("/reconfirm");
  await page.getByRole("link", { name: "Select all" }).click();
  for (const box of await page.getByRole("checkbox").all()) await expect(box).toBeChecked();
  await page.getByRole("button", { name: "Keep sharing from the selected banks" }).click();
  await expect(page.getByText(`Mock UK Bank: sharing continues until ${inDays(170)}`)).toBeVisible();
  await expect(
    page.getByText(`Harbour Building Society: sharing continues until ${inDays(170)}`),
  ).toBeVisible();
  await context.close();
});

test("session donation: a browser signed in with a link asked for elsewhere is told before a bank return is attached (issue 27 item 5)", async ({
  page,
  signedIn,
  browser,
}) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "doe" });
  const before = await connectionRow(id);
  await page.goto(`/reconfirm?connection=${id}`);
  await page.route(/\/_bank\/reauth\//, (route) => route.abort());
  const bankRequest = page.waitForRequest(/\/_bank\/reauth\//);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  const bankUrl = (await bankRequest).url();

  const other = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  const phone = await other.newPage();
  await phone.goto(bankUrl);
  await approveAtBank(phone);
  await expect(phone).toHaveURL(/\/connections\/returned$/);
  // As if this browser had signed in through the "asked for on another device" step.
  await signIn(other, signedIn);
  await sql(`update "Session" set "linkAskedElsewhere" = true where "userId" = $1`, [signedIn.id]);

  // A post of the form without the notice's field (as a page that never said so would send) attaches nothing.
  // The context's own request client carries its cookies.
  const { html } = await getHtml(other.request, "/connections/returned", {});
  const form = formWith(html, /Finish renewing/);
  expect(form.fields.some(([name]) => name === "elsewhereSeen")).toBe(true);
  const bare = await postForm(
    other.request,
    "/connections/returned",
    form.fields.filter(([name]) => name !== "elsewhereSeen"),
    {},
  );
  expect(bare.status()).toBeLessThan(400);
  expect(await connectionRow(id)).toEqual(before);
  expect(await eventsOf(id)).toEqual(["SENT_TO_BANK"]);

  await phone.goto("/connections/returned");
  await expect(phone.getByRole("alert").filter({ hasText: "Check this is your account" })).toContainText(
    signedIn.email,
  );
  await phone.getByRole("button", { name: "Finish renewing" }).click();
  await expect(phone).toHaveURL(/\/reconfirm\/progress\?exchange=/);
  expect(await eventsOf(id)).toEqual(["SENT_TO_BANK", "COMPLETED_AT_BANK"]);
  await other.close();
});
