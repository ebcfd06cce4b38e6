import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { setSeededConnection } from "../kit";
import { seedCodeExchange } from "./a11y";
import { createUser, expect, signIn, test } from "./fixtures";
import { seedLiveConnection } from "./reconfirm-fixtures";

// Issue 17, points 8 and 9: the footer and policy pages, TrueLayer named with its FCA number, and the
// smaller things a user saw.

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
const footer = (page: Page) => page.getByRole("contentinfo");
const PHONE = { width: 360, height: 780 };

async function expectFooter(page: Page, where: string) {
  const f = footer(page);
  await expect(f.getByRole("link", { name: "Privacy notice" }), where).toHaveAttribute("href", "/privacy");
  await expect(f.getByRole("link", { name: "Terms" }), where).toHaveAttribute("href", "/terms");
  await expect(f, where).toContainText("TrueLayer Limited");
  await expect(f, where).toContainText("firm reference number 901096");
}

test("every page has the footer with the privacy notice, terms and TrueLayer's FCA number", async ({
  page,
  context,
}) => {
  for (const path of [
    "/",
    "/signin",
    "/signin/error?error=Verification",
    "/privacy",
    "/terms",
    "/no-such-page",
  ]) {
    await page.goto(path);
    await expectFooter(page, path);
  }
  const user = await createUser();
  await signIn(context, user);
  const { id } = await seedLiveConnection(user.id, { password: "eternal" });
  const pending = await seedCodeExchange(user.id, "extend:pending", id);
  for (const path of ["/connections", "/settings", "/reconfirm", `/reconfirm/progress?exchange=${pending}`]) {
    await page.goto(path);
    await expectFooter(page, path);
  }
  await page.goto("/privacy");
  await expect(h1(page)).toHaveText("Reconsent privacy notice");
  await expect(page.getByRole("note")).toContainText("Placeholder text");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.goto("/terms");
  await expect(h1(page)).toHaveText("Reconsent terms");
  await expect(page.getByRole("note")).toContainText("must replace this page");
});

test("the consent screen names TrueLayer Limited with its FRN, links our policies and how to stop, and has no banner", async ({
  page,
  signedIn,
}) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await setSeededConnection(id, { consentExpiresAt: new Date(Date.now() + 5 * 86_400_000) });
  await page.goto("/connections");
  await expect(page.getByRole("complementary", { name: "Bank access ending" })).toBeVisible();
  await page.goto("/reconfirm");
  await expect(h1(page)).toHaveText("Keep sharing from Mock UK Bank?");
  await expect(page.getByRole("complementary", { name: "Bank access ending" })).toHaveCount(0);
  const consent = page.getByRole("region", { name: "What you are agreeing to" });
  await expect(consent).toContainText(
    "TrueLayer Limited, authorised by the Financial Conduct Authority (FCA) with firm reference number 901096",
  );
  await expect(consent.getByRole("link", { name: "Reconsent's privacy notice" })).toHaveAttribute(
    "href",
    "/privacy",
  );
  await expect(consent.getByRole("link", { name: "Reconsent's terms" })).toHaveAttribute("href", "/terms");
  await consent.getByRole("link", { name: "How to stop sharing" }).click();
  await expect(page).toHaveURL(new RegExp(`/connections#stop-${id}$`));
  const stop = page.locator(`#stop-${id}`);
  await expect(stop).toHaveAccessibleName("Stop sharing from Mock UK Bank");
  await expect(stop).toBeInViewport();
});

test("a sign-in mail not sent says so, points at the newest link and when to ask again; a new link starts filled in", async ({
  page,
}) => {
  const email = `budget-${randomBytes(4).toString("hex")}@example.test`;
  // Three free links and one paced one (decision 039).
  for (let i = 0; i < 4; i++) {
    await page.goto("/signin");
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(h1(page)).toHaveText("Check your email");
  }
  // "Send a new link" opens the form with the address, which is in no URL.
  await page.getByRole("link", { name: "send a new link" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByLabel("Email address")).toHaveValue(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "We didn't send another link" });
  await expect(alert).toContainText(/Use the newest link in your inbox, or ask again in \d+ minutes?\./);
  await expect(h1(page)).toHaveText("Sign in");
  await expect(page.getByText(/We've sent a link/)).toHaveCount(0);
  expect(page.url()).not.toContain(encodeURIComponent(email));
});

test("after a link that did not work, Send a new link starts with its address", async ({ page }) => {
  const email = `stale-${randomBytes(4).toString("hex")}@example.test`;
  await page.goto(`/signin/confirm?token=${"b".repeat(64)}&email=${encodeURIComponent(email)}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(h1(page)).toHaveText("This link has expired or was already used");
  await page.getByRole("link", { name: "Send a new link" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByLabel("Email address")).toHaveValue(email);
});

test("an unknown address shows our not-found page with a way home", async ({ page, context }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(h1(page)).toHaveText("We couldn't find that page");
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
  const user = await createUser();
  await signIn(context, user);
  await page.goto("/no-such-page");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.getByRole("link", { name: "Go to your connections" }).click();
  await expect(page).toHaveURL(/\/connections$/);
});

test("declined with no connection of yours does not say it won't renew", async ({ page, signedIn }) => {
  expect(signedIn.id).toBeTruthy();
  await page.goto("/reconfirm/declined?c=bogus");
  await expect(h1(page)).toHaveText("No bank connection to show");
  await expect(page.getByText("We won't renew access")).toHaveCount(0);
});

test("a signed-in visitor on the home page goes to the dashboard", async ({ page, signedIn }) => {
  expect(signedIn.id).toBeTruthy();
  await page.goto("/");
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByRole("link", { name: /sign in/i })).toHaveCount(0);
});

test("one bank's result says its headline once, and the page back from the bank has the menu", async ({
  page,
  signedIn,
}) => {
  const eternal = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await page.goto(`/reconfirm?connection=${eternal.id}`);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(h1(page)).toHaveText(/^Mock UK Bank: sharing continues until/);
  const headline = (await h1(page).textContent()) ?? "";
  // Within the page: Next's route announcer repeats the heading for screen readers after a client navigation.
  await expect(page.getByRole("main").getByText(headline, { exact: true })).toHaveCount(1);

  const doe = await seedLiveConnection(signedIn.id, { password: "doe" });
  await page.goto(`/reconfirm?connection=${doe.id}`);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await page.getByLabel("Password").fill("doe");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page).toHaveURL(/\/reconfirm\/progress\?exchange=/);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Connections" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("at 360px an email address wraps only at its @ or a dot, never mid-word", async ({ page, context }) => {
  const user = await createUser({
    email: `averyveryverylongfirstname.andalongsurname${randomBytes(3).toString("hex")}@subdomain.examplecompany.test`,
  });
  await signIn(context, user);
  await page.setViewportSize(PHONE);
  await page.goto("/settings");
  const address = page.locator("[data-email-address]").first();
  await expect(address).toBeVisible();
  const lines = await address.evaluate((el) => {
    const text = el.textContent ?? "";
    const node = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const tops: { ch: string; top: number }[] = [];
    for (let n = node.nextNode(); n; n = node.nextNode()) {
      for (let i = 0; i < (n.textContent ?? "").length; i++) {
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + 1);
        tops.push({ ch: n.textContent?.[i] ?? "", top: Math.round(range.getBoundingClientRect().top) });
      }
    }
    const out: string[] = [];
    let current = "";
    let top = tops[0]?.top;
    for (const t of tops) {
      if (t.top !== top) {
        out.push(current);
        current = "";
        top = t.top;
      }
      current += t.ch;
    }
    out.push(current);
    return { text, out };
  });
  expect(lines.out.length, "the address needs more than one line at 360px").toBeGreaterThan(1);
  expect(lines.out.join("")).toBe(lines.text);
  for (const line of lines.out.slice(1)) expect(line, JSON.stringify(lines.out)).toMatch(/^[@.]/);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});
