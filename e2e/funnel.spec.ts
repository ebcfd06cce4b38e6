import { expect, sql, test } from "./fixtures";
import { ageConnections, seedLiveConnection } from "./reconfirm-fixtures";

async function stepsOf(userId: string) {
  const rows = await sql<{ step: string }>(
    `select step from "FunnelEvent" where "userId" = $1 order by "createdAt", step`,
    [userId],
  );
  return rows.map((r) => r.step);
}

test("the plain reminder address counts no opened link (issue 29 item 7); followed to the bank and back it is recorded step by step, and the operator page counts what the events hold", async ({
  page,
  signedIn,
}) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "doe" });
  await ageConnections(80, [seeded]);
  // Loading the plain link's address is not opening a reminder link: no "opened" events, however often.
  for (let i = 0; i < 3; i += 1) await page.goto("/reconfirm?src=reminder");
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page).toHaveURL(/\/_bank\/reauth\//);
  await page.getByLabel("Password").fill("doe");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page).toHaveURL(/\/reconfirm\/progress\?exchange=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/sharing continues until/);
  expect(await stepsOf(signedIn.id)).toEqual([
    "SCREEN_SEEN",
    "SCREEN_SEEN",
    "SCREEN_SEEN",
    "CONFIRMED",
    "SENT_TO_BANK",
    "COMPLETED",
  ]);

  await sql(`update "User" set role = 'OPERATOR' where id = $1`, [signedIn.id]);
  await page.goto("/operator/funnel");
  // The page counts the 30 days up to the app's clock, which this test moved 80 days on.
  const until = new Date(Date.now() + 80 * 86_400_000 + 60_000);
  const expected = await sql<{ step: string; users: number; events: number }>(
    `select step, count(distinct "userId")::int as users, count(*)::int as events from "FunnelEvent"
     where "createdAt" between $1::timestamptz - interval '30 days' and $1 group by step`,
    [until.toISOString()],
  );
  const table = page.getByRole("table").first();
  for (const [step, label] of [
    ["LINK_OPENED", "Opened the email link"],
    ["SCREEN_SEEN", "Saw the reconfirmation screen"],
    ["CONFIRMED", "Confirmed"],
    ["SENT_TO_BANK", "Sent to their bank"],
    ["COMPLETED", "Completed"],
  ] as const) {
    const want = expected.find((r) => r.step === step);
    const row = table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: label, exact: true }) });
    const cells = row.getByRole("cell");
    await expect(cells.first()).toHaveText(String(want?.users ?? 0));
    await expect(cells.last()).toHaveText(String(want?.events ?? 0));
  }
});
