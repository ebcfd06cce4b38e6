import { connectInBrowser, connectionsOf } from "./connect-flow";
import { createUser, e2eEnv, expect, olderSession, signIn, sql, test } from "./fixtures";
import { formWith, getHtml, postForm } from "./forms";
import { latestMailTo, linksIn } from "./inbox";

// Step-up (issue 27 item 6): a session signed in more than ten minutes ago may still use the app, but your data
// and deleting the account need a fresh link first; stopping sharing never does.

test("your data asks for a fresh link after ten minutes, and the link brings you back to it", async ({
  page,
  context,
}) => {
  const user = await createUser();
  await olderSession(context, user, 20);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/settings/i);

  const download = await page.request.get("/settings/data/download", { maxRedirects: 0 });
  expect(download.status()).toBe(303);
  expect(download.headers().location).toContain("/signin/again?callbackUrl=%2Fsettings%2Fdata");
  expect(await download.text()).not.toContain(user.email);

  await page.goto("/settings/data");
  await expect(page).toHaveURL(/\/signin\/again\?callbackUrl=%2Fsettings%2Fdata$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm it's you");
  await expect(page.getByText(user.email)).toBeVisible();
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/signin\/check-email$/);
  const [link] = linksIn((await latestMailTo(user.email)).text);
  await page.goto(link ?? "");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/data$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your data");
  const fresh = await page.request.get("/settings/data/download", { maxRedirects: 0 });
  expect(fresh.status()).toBe(200);
  expect(await fresh.text()).toContain(user.email);
});

test("deleting the account needs a recent sign-in, even for a form fetched while it was recent", async ({
  browser,
}) => {
  const user = await createUser();
  // The form, as a page that was allowed to show it rendered it.
  const recent = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  await signIn(recent, user);
  const { html } = await getHtml(recent.request, "/settings/delete", {});
  const form = formWith(html, /Delete my account/i);
  await recent.close();

  const stale = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  await olderSession(stale, user, 15);
  const page = await stale.newPage();
  await page.goto("/settings/delete");
  await expect(page).toHaveURL(/\/signin\/again\?callbackUrl=%2Fsettings%2Fdelete$/);
  const fields = [
    ...form.fields.filter(([name]) => name !== "understood"),
    ["understood", "on"] as [string, string],
  ];
  const posted = await postForm(stale.request, "/settings/delete", fields, {});
  expect(posted.status()).toBeLessThan(400);
  expect(await sql(`select "deletionRequestedAt" from "User" where id = $1`, [user.id])).toEqual([
    { deletionRequestedAt: null },
  ]);
  await stale.close();
});

test("stopping sharing never asks for a fresh sign-in", async ({ page, context }) => {
  const user = await createUser({ name: "Old Session" });
  await olderSession(context, user, 60 * 6);
  await connectInBrowser(page);
  await page.goto("/connections");
  await page.getByRole("link", { name: /stop sharing/i }).click();
  await page.getByRole("button", { name: "Stop sharing" }).click();
  await expect(page).toHaveURL(/\/connections\?stopped=/);
  expect((await connectionsOf(user.id))[0]?.status).toBe("REVOKED");
});
