import type { Page } from "@playwright/test";
import { seedBalances, setSeededConnection } from "../kit";
import { audit, expectVisibleFocus, seedCodeExchange, seedConnectionIn } from "./a11y";
import { connectInBrowser } from "./connect-flow";
import { createUser, expect, signIn, sql, test } from "./fixtures";
import { seedLiveConnection } from "./reconfirm-fixtures";

// Every signed-in page and state, scanned as in accessibility.spec.ts (one page, or a page and the state
// one press leaves it in, per test), plus the reconfirmation done with the keyboard alone.

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
const alertSaying = (page: Page, text: string) => page.getByRole("alert").filter({ hasText: text });
const bankCard = (page: Page, bank: string) => page.getByRole("article", { name: bank });
const STATES = ["active", "expiring", "lapsed", "needs_bank", "revoked"] as const;

/** Makes a live connection due: the app reads the end date from its own row. */
async function makeDue(connectionId: string) {
  await setSeededConnection(connectionId, { consentExpiresAt: new Date(Date.now() + 5 * 86_400_000) });
}

async function twoDueBanks(userId: string) {
  for (const providerId of ["uk-cs-mock", "uk-ob-mock-harbour"]) {
    await makeDue((await seedLiveConnection(userId, { password: "eternal", providerId })).id);
  }
}

test.describe("dashboard and connections", () => {
  test("dashboard, empty", async ({ page, signedIn: _ }) => {
    await page.goto("/connections");
    await expect(page.getByRole("heading", { name: "No bank connected yet" })).toBeVisible();
    await audit(page, "dashboard, empty");
  });

  test("connect result, success, then the dashboard with a connection in each state", async ({
    page,
    signedIn,
  }) => {
    await connectInBrowser(page);
    await audit(page, "connect result, success");
    for (const state of STATES) await seedConnectionIn(signedIn.id, state, `Bank ${state}`);
    await page.goto("/connections");
    await expect(page.getByRole("article")).toHaveCount(6);
    await audit(page, "dashboard, every state");
  });

  test("connect result, failure and still pending", async ({ page, signedIn }) => {
    const failed = await seedCodeExchange(signedIn.id, "connect:failed:invalid_grant");
    await page.goto(`/connections/result/${failed}`);
    await expect(h1(page)).toHaveText("Your bank wasn't connected");
    await audit(page, "connect result, failure");
    const pending = await seedCodeExchange(signedIn.id, "connect:pending");
    await page.goto(`/connections/result/${pending}`);
    await audit(page, "connect result, pending");
  });

  test("stop sharing: the confirmation, the dashboard after it and the history", async ({
    page,
    signedIn,
  }) => {
    await seedLiveConnection(signedIn.id, { password: "eternal" });
    for (const state of STATES) await seedConnectionIn(signedIn.id, state, `Bank ${state}`);
    await page.goto("/connections");
    await page.getByRole("link", { name: "Stop sharing from Mock UK Bank" }).click();
    await expect(h1(page)).toHaveText("Stop sharing data from Mock UK Bank?");
    await audit(page, "stop-sharing confirmation");
    await page.getByRole("button", { name: "Stop sharing" }).click();
    await expect(page.getByRole("status")).toContainText("You've stopped sharing");
    await audit(page, "dashboard after stopping");
    await page.getByRole("link", { name: "History of Mock UK Bank" }).click();
    await expect(h1(page)).toHaveText("History: Mock UK Bank");
    await audit(page, "connection history, stopped");
  });

  test("dashboard balances: figures, paused figures, none yet and being checked", async ({
    page,
    signedIn,
  }) => {
    const readAt = new Date(Date.now() - 5 * 60_000);
    const active = await seedConnectionIn(signedIn.id, "active", "Bank active");
    await seedBalances(active, { current: 1234.5, available: -20.25, readAt });
    const lapsed = await seedConnectionIn(signedIn.id, "lapsed", "Bank lapsed");
    await seedBalances(lapsed, { current: 10, available: 10, readAt: new Date(Date.now() - 4 * 86_400_000) });
    await seedConnectionIn(signedIn.id, "needs_bank", "Bank needs_bank");
    await seedConnectionIn(signedIn.id, "expiring", "Bank expiring");
    await page.goto("/connections");
    await expect(bankCard(page, "Bank active").getByText("£1,234.50")).toBeVisible();
    await expect(bankCard(page, "Bank active").getByText("-£20.25")).toBeVisible();
    await expect(bankCard(page, "Bank active").getByRole("link", { name: /Check again/ })).toHaveCount(0);
    await expect(bankCard(page, "Bank lapsed").getByText(/^Updated /)).toHaveText(
      / · not updated since access paused$/,
    );
    await expect(
      bankCard(page, "Bank needs_bank").getByText("No balance was read before access paused"),
    ).toBeVisible();
    await expect(bankCard(page, "Bank expiring").getByRole("link", { name: /Check again/ })).toBeVisible();
    await audit(page, "dashboard, balances in every state");
  });

  test("cancelled, from a connect and from a reconfirmation", async ({ page, signedIn: _ }) => {
    await page.goto("/connections/cancelled?from=connect");
    await audit(page, "cancelled (connect)");
    await page.goto("/connections/cancelled");
    await audit(page, "cancelled (reconfirm)");
  });

  test("a problem (forged state)", async ({ page, signedIn: _ }) => {
    await page.goto("/callback?code=a11y-code&state=forged-state-that-we-never-issued");
    await expect(h1(page)).toHaveText("We couldn't finish connecting your bank");
    await audit(page, "problem (forged state)");
  });

  test("a connection not found", async ({ page, signedIn: _ }) => {
    await page.goto("/connections/c_nobody/stop");
    await expect(h1(page)).toHaveText("We couldn't find that");
    await audit(page, "connection not found");
  });
});

test.describe("reconfirmation", () => {
  test("reconfirm, nothing due", async ({ page, signedIn: _ }) => {
    await page.goto("/reconfirm");
    await expect(h1(page)).toHaveText("Nothing to renew right now");
    await audit(page, "reconfirm, nothing due");
  });

  test("reconfirm one bank: the screen and the stale-copy message", async ({ page, signedIn }) => {
    const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
    await page.goto(`/reconfirm?connection=${id}`);
    await expect(h1(page)).toHaveText("Keep sharing from Mock UK Bank?");
    await audit(page, "reconfirm, one bank");
    await page.locator('input[name="copyHash"]').evaluate((input) => {
      (input as HTMLInputElement).value = "0".repeat(64);
    });
    await page.getByRole("button", { name: "Yes, keep sharing" }).click();
    await expect(alertSaying(page, "The wording changed since you opened this page")).toBeVisible();
    await audit(page, "reconfirm, stale wording");
  });

  test("reconfirm one bank: done, and its history with the words seen open", async ({ page, signedIn }) => {
    const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
    await page.goto(`/reconfirm?connection=${id}`);
    await page.getByRole("button", { name: "Yes, keep sharing" }).click();
    await expect(h1(page)).toHaveText(/^Mock UK Bank: sharing continues until/);
    await expect(page.getByRole("region", { name: "Your balances now" })).toBeVisible();
    await audit(page, "reconfirm done, with the balances read after it");
    await page.goto(`/connections/${id}/history`);
    await page.getByText("What you agreed to").click();
    await expect(page.getByText("Keep sharing from Mock UK Bank?")).toBeVisible();
    await audit(page, "connection history, with the words seen open");
  });

  test("several banks due: the dashboard banner and the screen", async ({ page, signedIn }) => {
    await twoDueBanks(signedIn.id);
    await page.goto("/connections");
    await expect(page.getByRole("complementary", { name: "Bank access ending" })).toBeVisible();
    await audit(page, "dashboard with the due banner");
    await page.goto("/reconfirm");
    await expect(h1(page)).toHaveText("Keep sharing from 2 banks?");
    await audit(page, "reconfirm, several banks");
  });

  test("several banks: nothing ticked, then declined", async ({ page, signedIn }) => {
    await twoDueBanks(signedIn.id);
    await page.goto("/reconfirm");
    await page.getByRole("button", { name: "Keep sharing from the selected banks" }).click();
    await expect(alertSaying(page, "Choose at least one bank")).toBeVisible();
    await audit(page, "reconfirm, validation error");
    await page.getByRole("button", { name: "No, stop sharing" }).click();
    await expect(h1(page)).toHaveText("Stop sharing from 2 banks?");
    await audit(page, "no, stop sharing: confirm, several banks");
  });

  test("back from the bank: failed", async ({ page, signedIn }) => {
    const { id } = await seedLiveConnection(signedIn.id, { password: "doe" });
    const failed = await seedCodeExchange(signedIn.id, "extend:failed:a11y", id);
    await page.goto(`/reconfirm/progress?exchange=${failed}`);
    await expect(h1(page)).toHaveText("We couldn't finish renewing at your bank");
    await audit(page, "bank-return progress, failed");
  });

  test("back from the bank: finished, then a failed return no longer needed", async ({ page, signedIn }) => {
    const { id } = await seedLiveConnection(signedIn.id, { password: "doe" });
    const failed = await seedCodeExchange(signedIn.id, "extend:failed:a11y", id);
    await page.goto(`/reconfirm?connection=${id}`);
    await page.getByRole("button", { name: "Yes, keep sharing" }).click();
    await expect(page).toHaveURL(/\/_bank\/reauth\//);
    await page.getByLabel("Password").fill("doe");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page).toHaveURL(/\/reconfirm\/progress\?exchange=/);
    await expect(h1(page)).toHaveText(/^Mock UK Bank: sharing continues until/);
    await audit(page, "bank-return progress, finished");
    // The same failed return after the renewal: what is true now.
    await page.goto(`/reconfirm/progress?exchange=${failed}`);
    await expect(h1(page)).toHaveText("Already renewed");
    await audit(page, "bank-return progress, a return no longer needed");
  });

  test("back from the bank: still finishing", async ({ page, signedIn }) => {
    const { id } = await seedLiveConnection(signedIn.id, { password: "doe" });
    const pending = await seedCodeExchange(signedIn.id, "extend:pending", id);
    await page.goto(`/reconfirm/progress?exchange=${pending}`);
    await expect(h1(page)).toHaveText("Still finishing with your bank");
    await audit(page, "bank-return progress, pending");
  });

  /** Presses Tab until the focused element's accessible text matches, checking focus is visible each time. */
  async function tabTo(page: Page, name: RegExp, { back = false, limit = 40 } = {}) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press(back ? "Shift+Tab" : "Tab");
      await expectVisibleFocus(page, `tab stop ${i + 1}`);
      const text = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const label = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : "";
        return `${el?.textContent ?? ""} ${label ?? ""}`;
      });
      if (name.test(text)) return;
    }
    throw new Error(`No focusable element matching ${name} within ${limit} tabs`);
  }

  test("the reconfirmation can be finished with the keyboard alone, focus visible, errors announced", async ({
    page,
    signedIn,
  }) => {
    await twoDueBanks(signedIn.id);
    await page.goto("/reconfirm");
    await expect(h1(page)).toHaveText("Keep sharing from 2 banks?");
    await tabTo(page, /Keep sharing from the selected banks/);
    await page.keyboard.press("Enter");
    await expect(alertSaying(page, "Choose at least one bank")).toBeVisible();
    // The error summary takes focus; its link takes focus to the first bank (issue 29 item 10).
    await expect(alertSaying(page, "There is a problem")).toBeFocused();
    await tabTo(page, /Choose at least one bank/);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("checkbox", { name: /Harbour Building Society/ })).toBeFocused();
    await page.keyboard.press("Space");
    await expect(page.getByRole("checkbox", { name: /Harbour Building Society/ })).toBeChecked();
    await tabTo(page, /Keep sharing from the selected banks/);
    await page.keyboard.press("Enter");
    await expect(h1(page)).toHaveText(/^Harbour Building Society: sharing continues until/);
  });
});

test.describe("settings and operators", () => {
  test("settings, and with a validation error", async ({ page, signedIn: _ }) => {
    await page.goto("/settings");
    await audit(page, "settings");
    await page.getByLabel("Full name").fill("");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(alertSaying(page, "Enter your full name.")).toBeVisible();
    await audit(page, "settings with a validation error");
  });

  test("your data", async ({ page, signedIn }) => {
    await seedLiveConnection(signedIn.id, { password: "eternal" });
    await page.goto("/settings/data");
    await expect(h1(page)).toHaveText("Your data");
    await audit(page, "your data");
  });

  test("deleting the account: asked, and refused without the tick", async ({ page, signedIn }) => {
    await seedLiveConnection(signedIn.id, { password: "eternal" });
    await page.goto("/settings/delete");
    await expect(page.getByText("Sharing stops at TrueLayer for Mock UK Bank")).toBeVisible();
    await audit(page, "delete account, asked");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(alertSaying(page, "Tick the box to confirm")).toBeVisible();
    await audit(page, "delete account, not ticked");
  });

  test("the account deleted, and with a bank still queued", async ({ page, signedIn }) => {
    await seedLiveConnection(signedIn.id, { password: "eternal" });
    await page.goto("/settings/delete");
    await page.getByLabel(/I understand that my account is deleted/).check();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(h1(page)).toHaveText("Your account is deleted");
    await audit(page, "account deleted");
    await page.goto("/account-deleted?pending=Mock%20UK%20Bank");
    await audit(page, "account deleted, a bank still queued");
    await page.goto("/account-deleted?unfinished=1");
    await expect(h1(page)).toHaveText("We're deleting your account");
    await audit(page, "account deletion interrupted, to be finished");
  });

  test("operator funnel", async ({ page, signedIn }) => {
    await sql(`update "User" set role = 'OPERATOR' where id = $1`, [signedIn.id]);
    // One event per bank, so the per-bank table (wider than a phone) is there too.
    const funnelConnection = await seedConnectionIn(signedIn.id, "expiring", "Funnel Bank");
    await sql(
      `insert into "FunnelEvent" (id, "userId", "connectionId", "providerId", step)
       values ($1, $2, $3, 'uk-a11y-expiring', 'CONFIRMED')`,
      [`f_${funnelConnection}`, signedIn.id, funnelConnection],
    );
    await page.goto("/operator/funnel");
    await expect(h1(page)).toHaveText("Reconfirmation funnel");
    await audit(page, "operator funnel");
  });

  test("operator audit export", async ({ page }) => {
    const operator = await createUser();
    await sql(`update "User" set role = 'OPERATOR' where id = $1`, [operator.id]);
    await signIn(page.context(), operator);
    await page.goto("/operator/audit");
    await expect(h1(page)).toHaveText("Consent audit export");
    await audit(page, "operator audit export");
  });
});
