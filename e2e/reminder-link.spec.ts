import type { APIRequestContext, Page } from "@playwright/test";
import { setSeededConnection } from "../kit";
import { audit } from "./a11y";
import { e2eEnv, expect, pageAlert, sql, test } from "./fixtures";
import { type InboxMessage, latestMailTo, linksIn } from "./inbox";
import { connectionRow, eventsOf, seedLiveConnection } from "./reconfirm-fixtures";

// Issue 17 point 7: from the reminder mail to done in two presses, with a link a mail scanner cannot spend.

async function remindedLink(request: APIRequestContext, email: string): Promise<string> {
  return (await reminded(request, email)).link;
}

async function reminded(
  request: APIRequestContext,
  email: string,
): Promise<{ link: string; mail: InboxMessage }> {
  const run = await request.get("/api/cron/reminders", {
    headers: { authorization: `Bearer ${e2eEnv().CRON_SECRET}` },
  });
  expect(run.status()).toBe(200);
  const mail = await latestMailTo(email);
  const link = linksIn(mail.text).find((l) => l.startsWith(`${e2eEnv().APP_URL}/reminder?token=`));
  if (!link) throw new Error("no reminder link in the mail");
  expect(mail.html).toContain(`href="${link}"`);
  return { link, mail };
}

const usedAt = async (userId: string) =>
  (await sql<{ usedAt: Date | null }>(`select "usedAt" from "ReminderLink" where "userId" = $1`, [userId]))[0]
    ?.usedAt;

function countPresses(page: Page) {
  const counter = { presses: 0 };
  const press = async (name: string) => {
    counter.presses += 1;
    await page.getByRole("button", { name }).click();
  };
  return { counter, press };
}

test("john/eternal: from the reminder mail to done in two presses, at 360 px, signed out", async ({
  page,
  request,
  user,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const { id } = await seedLiveConnection(user.id, { password: "eternal" });
  await setSeededConnection(id, { consentExpiresAt: new Date(Date.now() + 5 * 86_400_000) });
  const before = await connectionRow(id);
  const link = await remindedLink(request, user.email);

  // A mail scanner that follows the link spends nothing and learns nothing.
  const scanned = await request.get(link, { maxRedirects: 0 });
  expect(scanned.status()).toBe(200);
  expect(await scanned.text()).not.toContain(user.email);
  expect(await usedAt(user.id)).toBeNull();

  const { counter, press } = countPresses(page);
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Renew sharing from your banks");
  await audit(page, "reminder link confirm page");
  await press("Continue");
  await expect(page).toHaveURL(/\/reconfirm\?src=reminder$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keep sharing from Mock UK Bank?");
  // A reminder session has no menu: nothing else is open to it.
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await audit(page, "reconfirmation screen in a reminder session");
  await press("Yes, keep sharing");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Mock UK Bank: sharing continues until/);
  expect(counter.presses).toBeLessThanOrEqual(2);

  const after = await connectionRow(id);
  expect(after.consentExpiresAt.getTime()).toBeGreaterThan(before.consentExpiresAt.getTime());
  expect(await eventsOf(id)).toContain("EXTENDED");
  const [opened] = await sql(`select 1 from "FunnelEvent" where "userId" = $1 and step = 'LINK_OPENED'`, [
    user.id,
  ]);
  expect(opened).toBeTruthy();

  // Everything else treats the session as signed out.
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings/);
});

test("the link works once, in one browser; a second browser is asked to sign in", async ({
  browser,
  request,
  user,
}) => {
  const { id } = await seedLiveConnection(user.id, { password: "eternal" });
  await setSeededConnection(id, { consentExpiresAt: new Date(Date.now() + 5 * 86_400_000) });
  const link = await remindedLink(request, user.email);

  const first = await (await browser.newContext()).newPage();
  await first.goto(link);
  await first.getByRole("button", { name: "Continue" }).click();
  await expect(first.getByRole("heading", { level: 1 })).toHaveText("Keep sharing from Mock UK Bank?");
  // Pressing again in the same browser goes on with the session it already has.
  await first.goto(link);
  await first.getByRole("button", { name: "Continue" }).click();
  await expect(first).toHaveURL(/\/reconfirm\?src=reminder$/);

  const second = await (await browser.newContext()).newPage();
  await second.goto(link);
  await second.getByRole("button", { name: "Continue" }).click();
  await expect(pageAlert(second)).toContainText("This link has already been used or has expired.");
  await second.goto("/reconfirm");
  await expect(second).toHaveURL(/\/signin\?callbackUrl=/);
});

test("the session ends after 30 minutes, and signing in normally gives a normal session", async ({
  page,
  request,
  user,
  context,
}) => {
  const { id } = await seedLiveConnection(user.id, { password: "eternal" });
  await setSeededConnection(id, { consentExpiresAt: new Date(Date.now() + 5 * 86_400_000) });
  const { link, mail } = await reminded(request, user.email);
  await page.goto(link);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keep sharing from Mock UK Bank?");

  await sql(
    `update "ReminderLink" set "sessionExpiresAt" = now() - interval '1 second' where "userId" = $1`,
    [user.id],
  );
  await page.goto("/reconfirm");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Freconfirm/);

  // Signing in through the mailed sign-in link, with the reminder cookie still in the browser.
  await page.getByLabel("Email address").fill(user.email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  // The mail can arrive before this browser has the answer that marks it as where the link was asked for.
  await expect(page).toHaveURL(/\/signin\/check-email$/);
  const signInMail = await latestMailTo(user.email, { newerThan: mail });
  const confirm = linksIn(signInMail.text).find((l) => l.includes("/signin/confirm?"));
  if (!confirm) throw new Error("no sign-in link");
  await page.goto(confirm);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/reconfirm/);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/settings/i);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  expect((await context.cookies()).some((c) => c.name === "next-auth.session-token")).toBe(true);
});

test("a reminder session's result page shows no balances and no accounts (issue 29 item 6)", async ({
  browser,
  request,
  user,
}) => {
  const { id } = await seedLiveConnection(user.id, { password: "eternal" });
  await setSeededConnection(id, { consentExpiresAt: new Date(Date.now() + 5 * 86_400_000) });
  const link = await remindedLink(request, user.email);

  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Mock UK Bank: sharing continues until/);

  // The renewal read the figures (a signed-in user would see them here); this session must not.
  const accounts = await sql<{ displayName: string; balanceCurrent: string | null }>(
    `select "displayName", "balanceCurrent"::text from "BankAccount" where "connectionId" = $1`,
    [id],
  );
  expect(accounts.length).toBeGreaterThan(0);
  await expect
    .poll(
      async () =>
        (
          await sql<{ n: number }>(
            `select count(*)::int as n from "BankAccount" where "connectionId" = $1 and "balanceReadAt" is not null`,
            [id],
          )
        )[0]?.n,
    )
    .toBe(accounts.length);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Mock UK Bank: sharing continues until/);
  await expect(page.getByRole("region", { name: "Your balances now" })).toHaveCount(0);
  const body = (await page.locator("main").textContent()) ?? "";
  expect(body).not.toMatch(/£|\bAvailable\b|\bCurrent\b|Updated /);
  for (const account of accounts) expect(body).not.toContain(account.displayName);
  await expect(page.getByRole("link", { name: "sign in" })).toBeVisible();
  await context.close();
});
