import { seedBalances } from "../kit";
import { BALANCES_KEPT, balancesKeptFor } from "../lib/connections/status-words";
import { scanText } from "../scripts/lib/secret-scan.mjs";
import { createUser, expect, signIn, sql, test } from "./fixtures";
import { seedLiveConnection } from "./reconfirm-fixtures";

// Issue 19 in the browser: delete my account signs every device out; the data download and the audit
// export are the signed-in user's own and the operators' only.

const day = () => new Date().toISOString().slice(0, 10);

test("deleting the account ends every session and leaves nothing that names the user", async ({
  page,
  browser,
  signedIn,
}) => {
  await seedLiveConnection(signedIn.id, { password: "eternal" });
  const other = await browser.newContext();
  await signIn(other, signedIn);
  await page.goto("/settings");
  await page.getByRole("link", { name: "Delete your account" }).click();
  await page.getByLabel(/I understand that my account is deleted/).check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account is deleted");
  await expect(page.getByText("Sharing from every bank has stopped.")).toBeVisible();

  const elsewhere = await other.newPage();
  await elsewhere.goto("/settings");
  await expect(elsewhere).toHaveURL(/\/signin/);
  await other.close();
  const [left] = await sql<{ n: number }>(
    `select (select count(*) from "User" where id = $1)::int + (select count(*) from "Session" where "userId" = $1)::int
      + (select count(*) from "Connection" where "userId" = $1)::int as n`,
    [signedIn.id],
  );
  expect(left?.n).toBe(0);
});

test("settings say how to change the email address, and delete is as red as stop sharing (issue 29 item 15)", async ({
  page,
  signedIn,
}) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await page.goto("/settings");
  const email = page.getByRole("region", { name: "Email address" });
  await expect(email).toContainText("You can't change it here yet. To change it, email");
  await expect(email.getByRole("link", { name: /@/ })).toHaveAttribute("href", /^mailto:.+@.+/);

  const background = (name: string) =>
    page.getByRole("button", { name, exact: true }).evaluate((b) => getComputedStyle(b).backgroundColor);
  await page.goto(`/connections/${id}/stop`);
  const stopRed = await background("Stop sharing");
  await page.goto("/settings/delete");
  expect(await background("Delete my account")).toBe(stopRed);
});

test("the data download is JSON of the user's own data, with no token in it", async ({ page, signedIn }) => {
  await seedLiveConnection(signedIn.id, { password: "eternal" });
  const response = await page.request.get("/settings/data/download");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="reconsent-data-/);
  const text = await response.text();
  expect(JSON.parse(text).profile.email).toBe(signedIn.email);
  expect(scanText(text, "download")).toEqual([]);
  const sealed = await sql<{ v: string }>(
    `select unnest(array["accessTokenSealed", "refreshTokenSealed"]) as v from "Connection" where "userId" = $1`,
    [signedIn.id],
  );
  expect(sealed.length).toBe(2);
  for (const { v } of sealed) expect(text).not.toContain(v);
});

test("the audit export route answers operators only", async ({ page, signedIn }) => {
  const url = `/operator/audit/export?from=${day()}&to=${day()}&format=jsonl`;
  expect((await page.request.get(url)).status()).toBe(404);
  await page.goto("/operator/audit");
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Consent audit export");

  await sql(`update "User" set role = 'OPERATOR' where id = $1`, [signedIn.id]);
  const csv = await page.request.get(url.replace("jsonl", "csv"));
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\n")[1]).toMatch(/^at,reconfirmation_id,connection_id,user,bank/);
  const jsonl = await page.request.get(url);
  expect(JSON.parse((await jsonl.text()).split("\n")[0] ?? "").about).toContain("sha256sum");
  expect((await page.request.get(`/operator/audit/export?from=${day()}&to=2000-01-01`)).status()).toBe(400);

  const stranger = await createUser();
  await signIn(page.context(), stranger);
  expect((await page.request.get(url)).status()).toBe(404);
});

test("the data download is limited to 10 an hour, and says when to try again", async ({ page, signedIn }) => {
  expect(signedIn.id).toBeTruthy();
  for (let i = 0; i < 10; i++) expect((await page.request.get("/settings/data/download")).status()).toBe(200);
  const refused = await page.request.get("/settings/data/download");
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
  expect((await refused.json()).error).toMatch(/Please try again in \d+ minutes?/);
  await page.goto("/settings/data");
  await expect(page.getByRole("alert").filter({ hasText: "Please try again in" })).toBeVisible();
});

test("the data page shows the stored balances and says what is kept, as the privacy notice does (issue 29 item 1)", async ({
  page,
  signedIn,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await seedBalances(id, { current: 1234.5, available: 1200, readAt: new Date("2026-12-06T17:13:00Z") });
  await page.goto("/settings/data");
  const bank = page.getByRole("region", { name: "Bank connections" });
  await expect(bank).toContainText(
    "current £1,234.50, available £1,200.00, read 6 December 2026 at 17:13 GMT",
  );
  await expect(bank).toContainText(`Balances kept: ${balancesKeptFor("active")}`);
  await expect(page.getByText(/not stored/i)).toHaveCount(0);
  await page.screenshot({ path: "test-results/data-page-360.png", fullPage: true });

  const download = JSON.parse(await (await page.request.get("/settings/data/download")).text());
  expect(download.connections[0].balances).toBe(balancesKeptFor("active"));
  expect(download.connections[0].accounts[0].balance.readAt).toBe("2026-12-06T17:13:00.000Z");

  await page.goto("/privacy");
  await expect(page.getByText(BALANCES_KEPT)).toBeVisible();
});
