import AxeBuilder from "@axe-core/playwright";
import { seedBareConnection } from "../kit";
import { e2eEnv, expect, sql, test } from "./fixtures";
import { latestMailTo, linksIn } from "./inbox";

async function dueConnection(userId: string, bank: string, daysLeft: number) {
  await seedBareConnection(userId, {
    providerId: "uk-ob-e2e",
    providerName: bank,
    scopes: [],
    consentCreatedAt: new Date(Date.now() - 80 * 86_400_000),
    consentExpiresAt: new Date(Date.now() + daysLeft * 86_400_000),
  });
}

const remindersEnabled = async (userId: string) =>
  (
    await sql<{ remindersEnabled: boolean }>(`select "remindersEnabled" from "User" where id = $1`, [userId])
  )[0]?.remindersEnabled;

test("a reminder email links to reconfirming and to stopping reminders without signing in", async ({
  page,
  request,
  user,
}) => {
  await dueConnection(user.id, "Reminder Bank", 3);
  expect((await request.post("/api/cron/reminders")).status()).toBe(401);
  const run = await request.get("/api/cron/reminders", {
    headers: { authorization: `Bearer ${e2eEnv().CRON_SECRET}` },
  });
  expect(run.status()).toBe(200);

  const mail = await latestMailTo(user.email);
  expect(mail.subject).toMatch(/^Keep your Reminder Bank connection: reconfirm by /);
  expect(mail.text).toMatch(/Sharing from Reminder Bank: renew by \d{1,2} \w+ \d{4}/);
  const links = linksIn(mail.text);
  expect(links.some((l) => l.startsWith(`${e2eEnv().APP_URL}/reminder?token=`))).toBe(true);
  const unsubscribe = links.find((l) => l.includes("/unsubscribe?token="));
  if (!unsubscribe) throw new Error("no unsubscribe link");

  await page.goto(unsubscribe);
  await expect(page.getByRole("heading", { level: 1, name: "Stop reminder emails?" })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  expect(await remindersEnabled(user.id)).toBe(true);
  await page.getByRole("button", { name: "Stop reminder emails" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Reminder emails stopped" })).toBeVisible();
  expect(await remindersEnabled(user.id)).toBe(false);

  const tampered = await request.post(`${unsubscribe.slice(0, -3)}abc`, {
    form: { "List-Unsubscribe": "One-Click" },
  });
  expect(tampered.status()).toBe(400);
});

test("the funnel page is for operators only", async ({ page, signedIn }) => {
  const res = await page.goto("/operator/funnel");
  expect(res?.status()).toBe(404);
  await sql(`update "User" set role = 'OPERATOR' where id = $1`, [signedIn.id]);
  await page.goto("/operator/funnel");
  await expect(page.getByRole("heading", { level: 1, name: "Reconfirmation funnel" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Reminded by email" })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});
