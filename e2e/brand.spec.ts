import { randomBytes, randomUUID } from "node:crypto";
import { seedBareConnection, setSeededConnection } from "../kit";
import { audit } from "./a11y";
import { createUser, e2eEnv, expect, sql, test } from "./fixtures";
import { latestMailTo } from "./inbox";
import { seedLiveConnection } from "./reconfirm-fixtures";
import { startSecondServer } from "./second-server";

// A second server of the same build, run with another deployer's name, purpose, policies and colour
// (lib/brand.ts reads them at run time), beside the suite's own: same database, simulator and inbox.

const BRAND = {
  APP_NAME: "Budgetly",
  SHARING_PURPOSE: "So Budgetly can track your spending against your monthly plan.",
  PRIVACY_URL: "https://budgetly.example/privacy-notice",
  TERMS_URL: "https://budgetly.example/terms-of-use",
  SUPPORT_EMAIL: "help@budgetly.example",
  BRAND_COLOR: "#5b21b6",
};
const VIOLET = "rgb(91, 33, 182)";

let stopServer: (() => void) | undefined;
let origin = "";

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const server = await startSecondServer(BRAND, {
    readyPath: "/api/health",
    ready: (status) => status === 200,
  });
  origin = server.origin;
  stopServer = server.stop;
});

test.afterAll(() => {
  stopServer?.();
});

async function signInThere(context: import("@playwright/test").BrowserContext, userId: string) {
  const token = randomBytes(32).toString("hex");
  await sql(
    `insert into "Session" (id, "sessionToken", "userId", expires) values ($1, $2, $3, now() + interval '1 day')`,
    [`s_${randomUUID()}`, token, userId],
  );
  await context.addCookies([{ name: "next-auth.session-token", value: token, url: origin, httpOnly: true }]);
}

const footer = (page: import("@playwright/test").Page) => page.getByRole("contentinfo");

test("a branded run shows its name, purpose, policies and colour on every screen and in the sign-in mail", async ({
  page,
  context,
}) => {
  await page.goto(`${origin}/`);
  await expect(page).toHaveTitle("Budgetly");
  await expect(page.getByRole("main")).toContainText("Budgetly shows you exactly what is shared");
  await expect(footer(page).getByRole("link", { name: "Privacy notice" })).toHaveAttribute(
    "href",
    BRAND.PRIVACY_URL,
  );
  await expect(footer(page).getByRole("link", { name: "Terms" })).toHaveAttribute("href", BRAND.TERMS_URL);
  await expect(footer(page).getByRole("link", { name: "Contact Budgetly" })).toHaveAttribute(
    "href",
    `mailto:${BRAND.SUPPORT_EMAIL}`,
  );
  const signIn = page.getByRole("link", { name: "Sign in to review your connections" });
  await expect(signIn).toHaveCSS("background-color", VIOLET);
  await audit(page, "branded home");

  const email = `brand-${randomBytes(4).toString("hex")}@example.test`;
  await page.goto(`${origin}/signin`);
  await expect(page.getByRole("link", { name: "Budgetly", exact: true })).toBeVisible();
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your email");
  await expect(page).toHaveTitle("Check your email · Budgetly");
  const mail = await latestMailTo(email);
  expect(mail.subject).toBe("Your sign-in link for Budgetly");
  expect(mail.text).toContain("Sign in to Budgetly");
  expect(mail.text).toContain(`Privacy notice ${BRAND.PRIVACY_URL}`);
  expect(mail.html).toContain("background-color:#5b21b6");
  expect(`${mail.text}${mail.html}`).not.toContain("Reconsent");

  const user = await createUser();
  await seedBareConnection(user.id, {
    providerId: "uk-ob-brand",
    providerName: "Brand Bank",
    consentCreatedAt: new Date(Date.now() - 80 * 86_400_000),
    consentExpiresAt: new Date(Date.now() + 5 * 86_400_000),
    accounts: [{ displayName: "Current Account", maskedNumber: "•••• 1234" }],
  });
  await signInThere(context, user.id);
  await page.goto(`${origin}/connections`);
  await expect(page.getByRole("link", { name: "Budgetly", exact: true })).toHaveAttribute(
    "href",
    "/connections",
  );
  await expect(page.getByText("What each bank shares with Budgetly, and until when.")).toBeVisible();
  await expect(page.getByRole("article", { name: "Brand Bank" })).toContainText(BRAND.SHARING_PURPOSE);
  await audit(page, "branded dashboard");

  await page.goto(`${origin}/reconfirm`);
  const consent = page.getByRole("region", { name: "What you are agreeing to" });
  await expect(consent).toContainText(BRAND.SHARING_PURPOSE);
  await expect(consent).toContainText("on Budgetly's behalf");
  await expect(consent.getByRole("link", { name: "Budgetly's privacy notice" })).toHaveAttribute(
    "href",
    BRAND.PRIVACY_URL,
  );
  await expect(page.getByText(/Say yes and Budgetly can keep seeing/)).toBeVisible();
  await audit(page, "branded reconfirmation");

  await page.goto(`${origin}/settings`);
  await expect(footer(page)).toContainText("on Budgetly's behalf");
  await page.goto(`${origin}/privacy`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Budgetly privacy notice");
  await page.goto(`${origin}/no-such-page`);
  await expect(page).toHaveTitle("Page not found · Budgetly");
  for (const text of await page.locator("body").allInnerTexts()) expect(text).not.toContain("Reconsent");
});

test("the branded reminder mail, and a screen opened before the brand changed shows the stale-wording message", async ({
  page,
  context,
  request,
}) => {
  const user = await createUser();
  const { id } = await seedLiveConnection(user.id, { password: "eternal" });
  await setSeededConnection(id, { consentExpiresAt: new Date(Date.now() + 3 * 86_400_000) });
  const run = await request.get(`${origin}/api/cron/reminders`, {
    headers: { authorization: `Bearer ${e2eEnv().CRON_SECRET}` },
  });
  expect(run.status()).toBe(200);
  const mail = await latestMailTo(user.email);
  expect(mail.text).toContain("that Budgetly may keep seeing your bank data");
  expect(mail.text).toContain("share bank data through Budgetly");
  expect(mail.text).toContain(`${origin}/reminder?token=`);
  expect(mail.html).toContain("Reconfirm now");
  expect(mail.html).toContain("#5b21b6");

  await signInThere(context, user.id);
  // The wording as the branded deployment showed it...
  await page.goto(`${origin}/reconfirm?connection=${id}`);
  const brandedHash = await page.locator('input[name="copyHash"]').inputValue();
  // ...sent to the deployment whose name and purpose are the demo's: the words differ, so nothing renews.
  await page.goto(`${e2eEnv().APP_URL}/reconfirm?connection=${id}`);
  await expect(page.getByText("So Reconsent can keep your budget up to date.")).toBeVisible();
  const ownHash = await page.locator('input[name="copyHash"]').inputValue();
  expect(ownHash).not.toBe(brandedHash);
  await page.locator('input[name="copyHash"]').evaluate((input, hash) => {
    (input as HTMLInputElement).value = hash;
  }, brandedHash);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "The wording changed since you opened this page" }),
  ).toBeVisible();
  const events = await sql(
    `select type from "ConnectionEvent" where "connectionId" = $1 and type = 'EXTENDED'`,
    [id],
  );
  expect(events).toHaveLength(0);
});
