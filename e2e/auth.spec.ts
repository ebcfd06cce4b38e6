import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createUser, e2eEnv, expect, signIn, sql, test } from "./fixtures";
import { latestMailTo, linksIn } from "./inbox";

const freshEmail = () => `new-${randomBytes(4).toString("hex")}@example.test`;

async function requestLink(page: Page, email: string, path = "/signin") {
  await page.goto(path);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/signin\/check-email$/);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const mail = await latestMailTo(email);
  expect(mail.subject).toBe("Your sign-in link for Reconsent");
  const [link] = linksIn(mail.text);
  if (!link) throw new Error("The sign-in mail has no link.");
  return link;
}

async function hasSessionCookie(page: Page) {
  return (await page.context().cookies()).some((c) => c.name === "next-auth.session-token" && c.value);
}

test("a new address signs in by magic link, gives a name and lands on connections", async ({ page }) => {
  const email = freshEmail();
  const link = await requestLink(page, email);
  await expect(page.getByText(`We've sent a link to ${email}`)).toBeVisible();
  await expect(page.getByRole("link", { name: e2eEnv().MAIL_INBOX_URL })).toBeVisible();
  expect(new URL(link).pathname).toBe("/signin/confirm");

  // Opening the link (as a mail scanner would) shows a confirmation and signs no one in.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Sign in to Reconsent" })).toBeVisible();
  await expect(page.getByText(`Sign in as ${email}`)).toBeVisible();
  expect(await hasSessionCookie(page)).toBe(false);
  expect(await sql(`select id from "User" where email = $1`, [email])).toHaveLength(0);

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/welcome(\?|$)/);
  await expect(page.getByRole("heading", { name: "Welcome to Reconsent" })).toBeVisible();
  expect(await hasSessionCookie(page)).toBe(true);
  const session = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter your full name." })).toBeVisible();
  await expect(page.getByLabel("Full name")).toHaveAccessibleDescription(
    /as it appears on your bank account/i,
  );

  await page.getByLabel("Full name").fill("  Robin   Newcomer ");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  expect(await sql(`select name from "User" where email = $1`, [email])).toEqual([
    { name: "Robin Newcomer" },
  ]);
});

test("a used link is refused, with a way to get a new one", async ({ page, browser }) => {
  const user = await createUser();
  const link = await requestLink(page, user.email, "/signin?callbackUrl=%2Fsettings");
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();

  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(link);
  await second.getByRole("button", { name: "Sign in" }).click();
  await expect(second).toHaveURL(/\/signin\/error\?error=Verification$/);
  await expect(
    second.getByRole("heading", { name: "This link has expired or was already used" }),
  ).toBeVisible();
  await second.getByRole("link", { name: "Send a new link" }).click();
  await expect(second).toHaveURL(/\/signin$/);
  await other.close();
});

test("an outside callbackUrl is ignored", async ({ page }) => {
  const email = freshEmail();
  const link = await requestLink(page, email, "/signin?callbackUrl=https%3A%2F%2Fevil.example%2F");
  expect(new URL(link).searchParams.get("callbackUrl")).toBe("/connections");
});

test("a signed-out visit to settings goes to sign-in, remembering where it was going", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("a signed-in user without a name is asked for it first", async ({ page, context }) => {
  const user = await createUser({ name: null });
  await signIn(context, user);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/welcome(\?|$)/);
});

test("settings show the email and change the name", async ({ page, signedIn }) => {
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(page.getByText(signedIn.email)).toBeVisible();
  const name = page.getByLabel("Full name");
  await expect(name).toHaveValue("Jamie Example");

  await name.fill("J");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Your name needs at least 2 characters." }),
  ).toBeVisible();
  await expect(name).toHaveValue("J");

  await name.fill("Jamie Q. Example");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Your name is saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Full name")).toHaveValue("Jamie Q. Example");

  // Real names as people write them; a refused character is named (issue 29 item 11).
  await expect(name).toHaveAttribute("dir", "auto");
  await name.fill("پریا نیک\u200cزاد");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Your name is saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Full name")).toHaveValue("پریا نیک\u200cزاد");
  await page.getByLabel("Full name").fill("Priya \u202eNik");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Your name contains a right-to-left override (U+202E)" }),
  ).toBeVisible();
});

test("signing out ends the session", async ({ page, signedIn }) => {
  await page.goto("/settings");
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }),
  ).toHaveAttribute("aria-current", "page");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1$/);
  await expect(page.getByText("You're signed out.")).toBeVisible();
  expect(await sql(`select id from "Session" where "userId" = $1`, [signedIn.id])).toHaveLength(0);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings$/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the link request, the name form and sign-out all work", async ({ page }) => {
    const email = freshEmail();
    const link = await requestLink(page, email);
    await page.goto(link);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/welcome(\?|$)/);
    await page.getByLabel("Full name").fill("Nojs Person");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/connections$/);
    await page.goto("/settings");
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/signin\?signedOut=1$/);
  });
});

test("the sign-in pages and settings have no accessibility violations at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const check = async () => {
    const { violations } = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag22aa"])
      .analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual(
      [],
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  };
  const email = freshEmail();
  await page.goto("/signin");
  await check();
  const link = await requestLink(page, email);
  await check();
  await page.goto(link);
  await check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter your full name." })).toBeVisible();
  await check();
  await page.getByLabel("Full name").fill("Axel Checker");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  await page.goto("/settings");
  await check();
  await page.goto("/signin/error?error=Verification");
  await check();
});

test("sign out of every device ends the sessions of every browser", async ({
  browser,
  page,
  context,
  user,
}) => {
  await signIn(context, user);
  const phone = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  await signIn(phone, user);
  const phonePage = await phone.newPage();
  await phonePage.goto("/settings");
  await expect(phonePage.getByRole("heading", { name: "Settings" })).toBeVisible();

  await page.goto("/settings");
  await page.getByRole("button", { name: "Sign out of every device" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=all$/);
  await expect(page.getByText("You're signed out on every device.")).toBeVisible();
  expect(await sql(`select 1 from "Session" where "userId" = $1`, [user.id])).toEqual([]);
  await phonePage.goto("/settings");
  await expect(phonePage).toHaveURL(/\/signin\?callbackUrl=%2Fsettings$/);
  await phone.close();
});

test("a link asked for on another device says so before signing in, and laptop-to-phone still works (issue 27 item 5)", async ({
  page,
  browser,
}) => {
  const user = await createUser();
  const link = await requestLink(page, user.email);
  const phoneContext = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  const phone = await phoneContext.newPage();
  await phone.goto(link);
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText(
    "This link was asked for on another device",
  );
  await expect(phone.getByText(/If someone sent you this link/)).toBeVisible();
  await expect(phone.getByRole("button", { name: "Sign in", exact: true })).toHaveCount(0);
  await phone.getByRole("button", { name: "It's my address: sign in here" }).click();
  await expect(phone).toHaveURL(/\/connections$/);
  const sessions = await sql(`select "linkAskedElsewhere" as e from "Session" where "userId" = $1`, [
    user.id,
  ]);
  expect(sessions).toEqual([{ e: true }]);
  await phoneContext.close();

  // The browser that asked signs in with one press, as before, and its session is an ordinary one.
  const again = await requestLink(page, user.email);
  await page.goto(again);
  await expect(page.getByRole("heading", { name: "Sign in to Reconsent" })).toBeVisible();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  expect(
    await sql(`select "linkAskedElsewhere" as e from "Session" where "userId" = $1 order by "createdAt"`, [
      user.id,
    ]),
  ).toEqual([{ e: true }, { e: false }]);
});

test("a hand-made post of a link this browser never asked for, skipping that step, signs no one in", async ({
  page,
  browser,
}) => {
  const attacker = await createUser();
  const link = new URL(await requestLink(page, attacker.email));
  const victim = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  const form = Object.fromEntries(
    ["token", "email", "callbackUrl"].map((k) => [k, link.searchParams.get(k) ?? ""]),
  );
  const res = await victim.request.post("/api/auth/callback/email", {
    form,
    headers: { origin: e2eEnv().APP_URL ?? "", "sec-fetch-site": "same-origin" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  expect(res.headers().location).toContain("/signin/error?error=Elsewhere");
  expect(res.headers()["set-cookie"] ?? "").not.toMatch(/session-token=[^;]/);
  expect(await sql(`select 1 from "VerificationToken" where identifier = $1`, [attacker.email])).toHaveLength(
    1,
  );
  await victim.close();
});
