import { expect, moveClocks, sql, test } from "./fixtures";
import { connectionRow, eventsOf, seedLiveConnection } from "./reconfirm-fixtures";

test("a dead refresh token: connecting again through TrueLayer's dialog replaces the connection instead of adding one", async ({
  page,
  signedIn,
}) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  const before = await connectionRow(id);
  await moveClocks(80);
  await page.goto("/reconfirm");
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await page.getByRole("button", { name: "Connect Mock UK Bank again" }).click();
  // The bank is preselected: the dialog goes straight to the login.
  await page.getByLabel("Username").fill("john");
  await page.getByLabel("Password").fill("eternal");
  await page.getByRole("button", { name: "Log in and allow access" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mock UK Bank is connected again.");

  const rows = await sql<{ id: string }>(`select id from "Connection" where "userId" = $1`, [signedIn.id]);
  expect(rows.map((r) => r.id)).toEqual([id]);
  const after = await connectionRow(id);
  expect(after.status).toBe("ACTIVE");
  expect(after.refreshTokenSealed).not.toBe(before.refreshTokenSealed);
  expect(await eventsOf(id)).toEqual(["FAILED", "RECONNECTED"]);
});
