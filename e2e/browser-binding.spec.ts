import type { BrowserContext, Page } from "@playwright/test";
import { approveBankReauth } from "../kit";
import { connectionsOf } from "./connect-flow";
import { appSandbox, createUser, e2eEnv, expect, pageAlert, signIn, sql, test } from "./fixtures";
import { connectionRow, eventsOf, seedLiveConnection } from "./reconfirm-fixtures";

// A bank connected in another browser never lands in the account that started it (RFC 9700 §4.7).
// The auth link is bound to the browser that started the trip; a return from any other browser is
// held until that browser signs in as the trip's owner.

/**
 * Presses "Connect a bank" and returns the auth link, without following it in this browser. In a tab of
 * its own, closed after: the aborted trip may be retried as a full navigation, which must not land on
 * the test's own page.
 */
async function authLinkFrom(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  const sandbox = new URL(e2eEnv().TRUELAYER_AUTH_URL ?? "").origin;
  let link = "";
  await page.route(`${sandbox}/**`, async (route) => {
    if (!link && route.request().isNavigationRequest()) link = route.request().url();
    await route.abort();
  });
  await page.goto("/connections");
  await page.getByRole("button", { name: "Connect a bank" }).first().click();
  await expect.poll(() => link).not.toBe("");
  await page.close();
  return link;
}

async function logInAtBank(page: Page, link: string) {
  await page.goto(link);
  await page.getByRole("button", { name: "Mock UK Bank" }).click();
  await page.getByLabel("Username").fill("john");
  await page.getByLabel("Password").fill("eternal");
  await page.getByRole("button", { name: "Log in and allow access" }).click();
}

async function freshBrowser(context: BrowserContext): Promise<{ context: BrowserContext; page: Page }> {
  const other = await context.browser()?.newContext({ baseURL: e2eEnv().APP_URL });
  if (!other) throw new Error("no browser");
  return { context: other, page: await other.newPage() };
}

test("an auth link sent to someone else: their bank is not added to the sender's account", async ({
  page,
  context,
  signedIn: attacker,
}) => {
  const link = await authLinkFrom(context);
  const victim = await freshBrowser(context);
  await logInAtBank(victim.page, link);
  // The victim's browser is asked to sign in; the bank's answer waits, attached to nobody.
  await expect(victim.page).toHaveURL(/\/signin\?callbackUrl=%2Fconnections%2Ffinish/);
  expect(await connectionsOf(attacker.id)).toEqual([]);
  await page.goto("/connections");
  await expect(page.getByRole("heading", { name: "No bank connected yet" })).toBeVisible();

  // Signed in there as themselves, the victim is told it was not added, and can end it at once.
  const finishUrl = new URL(victim.page.url()).searchParams.get("callbackUrl") ?? "";
  const victimUser = await createUser();
  await signIn(victim.context, victimUser);
  await victim.page.goto(finishUrl);
  await expect(victim.page.getByRole("heading", { name: "Mock UK Bank was not added" })).toBeVisible();
  await victim.page.getByRole("button", { name: "End this access now" }).click();
  await expect(pageAlert(victim.page)).toContainText(
    "started from a different Reconsent account, so it was not added to yours",
  );
  expect(await connectionsOf(victimUser.id)).toEqual([]);
  expect(await connectionsOf(attacker.id)).toEqual([]);
  expect(await sql(`select 1 from "ParkedReturn"`)).toEqual([]);
  await victim.context.close();
});

test("the phone case: started on a laptop, finished in the bank app's browser after signing in there", async ({
  page,
  context,
  signedIn: owner,
}) => {
  const link = await authLinkFrom(context);
  const phone = await freshBrowser(context);
  await logInAtBank(phone.page, link);
  await expect(phone.page).toHaveURL(/\/signin\?callbackUrl=%2Fconnections%2Ffinish/);
  const finishUrl = new URL(phone.page.url()).searchParams.get("callbackUrl") ?? "";
  await signIn(phone.context, owner);
  await phone.page.goto(finishUrl);
  await expect(phone.page.getByRole("heading", { name: "Add Mock UK Bank" })).toBeVisible();
  await expect(phone.page.getByText(owner.email)).toBeVisible();
  await phone.page.getByRole("button", { name: "Add Mock UK Bank" }).click();
  await expect(phone.page.getByRole("heading", { level: 1 })).toHaveText("Mock UK Bank is connected.");
  expect((await connectionsOf(owner.id)).map((c) => c.status)).toEqual(["ACTIVE"]);
  // Opened again elsewhere, there is nothing left to take.
  await page.goto(finishUrl);
  await expect(page.getByRole("heading", { name: "There's nothing to finish here" })).toBeVisible();
  await phone.context.close();
});

test("the browser that started the trip completes it, as before", async ({ page, signedIn }) => {
  await page.goto("/connections");
  await page.getByRole("button", { name: "Connect a bank" }).first().click();
  await page.getByRole("button", { name: "Mock UK Bank" }).click();
  await page.getByLabel("Username").fill("john");
  await page.getByLabel("Password").fill("eternal");
  await page.getByRole("button", { name: "Log in and allow access" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mock UK Bank is connected.");
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "reconsent.trips")).toMatchObject({
    httpOnly: true,
    sameSite: "Lax",
  });
  expect(await connectionsOf(signedIn.id)).toHaveLength(1);
});

/** Sends this signed-in browser off to its bank for a renewal of `connectionId` (its trip cookie set), approves at
 * the bank outside the browser, and returns the bank's return URL without following it: the code is still unused. */
async function renewalCode(page: Page, connectionId: string): Promise<string> {
  await page.goto(`/reconfirm?connection=${connectionId}`);
  await page.route(/\/_bank\/reauth\//, (route) => route.abort());
  const bankRequest = page.waitForRequest(/\/_bank\/reauth\//);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  const bankUrl = (await bankRequest).url();
  await page.unrouteAll({ behavior: "ignoreErrors" });
  return (await approveBankReauth(bankUrl)).callbackUrl;
}

test("code injection: an attacker's bank return sent to a victim mid-renewal is refused, and never offered", async ({
  page,
  context,
  signedIn: victim,
}) => {
  const victimConnection = await seedLiveConnection(victim.id, {
    password: "doe",
    providerId: "uk-ob-mock-harbour",
  });
  // The victim is at the bank, not back yet: their own return is still to come.
  const victimBack = await renewalCode(page, victimConnection.id);
  const before = await connectionRow(victimConnection.id);

  // The attacker renews his own Harbour connection in his own browser and keeps the bank's return.
  const attacker = await createUser();
  const attackerConnection = await seedLiveConnection(attacker.id, {
    password: "doe",
    providerId: "uk-ob-mock-harbour",
  });
  const theirs = await context.browser()?.newContext({ baseURL: e2eEnv().APP_URL });
  if (!theirs) throw new Error("no browser");
  await signIn(theirs, attacker);
  const attackerBack = await renewalCode(await theirs.newPage(), attackerConnection.id);
  const code = new URL(attackerBack).searchParams.get("code");
  await theirs.close();

  // A cross-site page sends the victim's signed-in browser (with its trip cookie) to /callback with that code.
  await page.goto(`/callback?code=${encodeURIComponent(code ?? "")}`);
  await expect(page).toHaveURL(/\/reconfirm\/progress\?exchange=/);
  await expect(pageAlert(page)).toContainText("wasn't for the connection you were renewing");
  await expect(page.getByRole("button", { name: /Finish renewing|Add/ })).toHaveCount(0);
  expect(await connectionRow(victimConnection.id)).toEqual(before);
  expect(await sql(`select 1 from "ParkedReturn"`)).toEqual([]);
  // The attacker's grant stayed with the attacker's connection; the victim's own return still works.
  const [attackerRow] = await sql<{ userId: string }>(`select "userId" from "Connection" where id = $1`, [
    attackerConnection.id,
  ]);
  expect(attackerRow?.userId).toBe(attacker.id);
  await page.goto(victimBack.replace(/^https?:\/\/[^/]+/, ""));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(
    "Harbour Building Society: sharing continues",
  );
  expect(await eventsOf(victimConnection.id)).toEqual(["SENT_TO_BANK", "COMPLETED_AT_BANK"]);
});

test("a form_post return (a cross-site POST) is carried to our own GET in a sealed cookie, and completes", async ({
  page,
  signedIn,
}) => {
  const { controls } = appSandbox();
  await controls.setProfile("strict", { bankReturn: { responseMode: "form_post" } });
  try {
    const seeded = await seedLiveConnection(signedIn.id, { password: "doe" });
    const posts = await sql<{ n: string }>(`select count(*) as n from "CallbackPost"`);
    await page.goto(`/reconfirm?connection=${seeded.id}`);
    await page.getByRole("button", { name: "Yes, keep sharing" }).click();
    await expect(page).toHaveURL(/\/_bank\/reauth\//);
    await page.getByLabel("Password").fill("doe");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page).toHaveURL(/\/reconfirm\/progress\?exchange=/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Mock UK Bank: sharing continues");
    expect(await eventsOf(seeded.id)).toEqual(["SENT_TO_BANK", "COMPLETED_AT_BANK"]);
    // Nothing was stored for the post: it travelled in this browser's cookie, which is gone once used.
    expect(await sql<{ n: string }>(`select count(*) as n from "CallbackPost"`)).toEqual(posts);
    expect((await page.context().cookies()).find((c) => c.name === "reconsent.return")).toBeUndefined();
  } finally {
    await controls.setProfile("strict", {});
  }
});
