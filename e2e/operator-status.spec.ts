import { appSandbox, expect, sql, test } from "./fixtures";
import { seedLiveConnection } from "./reconfirm-fixtures";

// Issue 28 item 1: a renewal TrueLayer refuses for our credentials tells the user our team has been alerted, and
// the alert that makes that true is on the operator status page; nobody else can see that page.

test.afterEach(() => appSandbox().controls.setProfile("strict", {}));

test("a refused renewal is alerted: the user is told so, and the operator status page lists it", async ({
  page,
  signedIn,
}) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await appSandbox().controls.setProfile("strict", { flakyClientAuth: 1 });
  await page.goto(`/reconfirm?connection=${id}`);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByText(/This is on our side and our team has been alerted/)).toBeVisible();
  const [alert] = await sql<{ count: number }>(
    `select "count" from "OperatorAlert" where kind = 'credentials_refused' order by "lastAt" desc limit 1`,
  );
  expect(alert?.count).toBeGreaterThan(0);

  expect((await page.goto("/operator/status"))?.status()).toBe(404);
  await sql(`update "User" set role = 'OPERATOR' where id = $1`, [signedIn.id]);
  await page.goto("/operator/status");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Operator status");
  const alerts = page.getByRole("region", { name: "Alerts" });
  const item = alerts.getByRole("listitem").filter({ hasText: "TrueLayer refused our client credentials" });
  await expect(item.first()).toContainText("TrueLayer refused our client credentials on extend");
  await expect(item.first()).toContainText("Not sent: no ALERT_WEBHOOK_URL");
  await expect(page.getByRole("region", { name: "Revoke queue" })).toContainText(
    /grants? waits? to be revoked/,
  );
});
