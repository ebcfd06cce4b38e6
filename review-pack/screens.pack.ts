import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, injectFault, moveClocks, test } from "../e2e/fixtures";
import { latestMailTo, linksIn } from "../e2e/inbox";
import { ageConnections, seedLiveConnection, setAppClient } from "../e2e/reconfirm-fixtures";
import type { SeedColumns as ConnectionColumns } from "../kit";
import { setSeededConnection } from "../kit";
import { capture } from "./capture";

// Every screen a user can reach, in each state, for the pack TrueLayer reviews before it enables extend
// in production (docs/review-pack/README.md). Run with `npm run review-pack`, not as part of `npm test`.

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
const HARBOUR = "uk-ob-mock-harbour";
const KESTREL = "uk-oauth-mock-kestrel";

async function approveAtBank(page: Page, password = "doe") {
  await expect(page).toHaveURL(/\/_bank\/reauth\//);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Approve" }).click();
}

test("signing in", async ({ page }) => {
  await page.goto("/");
  await expect(h1(page)).toContainText("Keep your bank connections working");
  await capture(page, {
    id: "01-home",
    title: "Home (signed out)",
    note: "What Reconsent is, before sign-in.",
  });

  await page.goto("/signin");
  await capture(page, { id: "02-sign-in", title: "Sign in", note: "Sign-in by emailed link." });
  const email = `review-${randomBytes(3).toString("hex")}@example.test`;
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(h1(page)).toHaveText("Check your email");
  await capture(page, {
    id: "03-check-email",
    title: "Check your email",
    note: "After asking for a link. In this test run the page also links the local test inbox.",
  });

  const [link] = linksIn((await latestMailTo(email)).text);
  if (!link) throw new Error("The sign-in mail has no link.");
  await page.goto(link);
  await expect(h1(page)).toHaveText("Sign in to Reconsent");
  await capture(page, {
    id: "04-confirm-sign-in",
    title: "Confirm sign-in",
    note: "Opening the emailed link signs no one in by itself (mail scanners open links); the user presses Sign in.",
  });
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(h1(page)).toHaveText("Welcome to Reconsent");
  await capture(page, { id: "05-welcome-name", title: "Welcome: your name", note: "First sign-in only." });
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter your full name." })).toBeVisible();
  await capture(page, {
    id: "06-welcome-name-error",
    title: "Welcome: name missing",
    note: "Continue pressed with the name empty.",
  });

  await page.goto("/signin/error?error=Verification");
  await capture(page, {
    id: "07-sign-in-link-used",
    title: "Sign-in link expired or used",
    note: "A link opened a second time, or after it expired.",
  });
});

test("connecting a bank", async ({ page, signedIn: _ }) => {
  await page.goto("/connections");
  await expect(page.getByRole("heading", { name: "No bank connected yet" })).toBeVisible();
  await capture(page, { id: "08-dashboard-empty", title: "Connections: none yet", note: "A new user." });

  await page.getByRole("button", { name: "Connect a bank" }).first().click();
  await expect(page.getByRole("button", { name: "Mock UK Bank" })).toBeVisible();
  await capture(page, {
    id: "09-connect-bank-choice",
    title: "TrueLayer dialog: choose a bank",
    note: "The TrueLayer auth dialog as played by the local simulator (in production this is TrueLayer's own page).",
  });
  await page.getByRole("button", { name: "Mock UK Bank" }).click();
  await expect(page.getByLabel("Username")).toBeVisible();
  await capture(page, {
    id: "10-connect-bank-login",
    title: "TrueLayer dialog: log in at the bank",
    note: "The simulator's stand-in for the bank's login.",
  });
  await page.getByLabel("Username").fill("john");
  await page.getByLabel("Password").fill("eternal");
  await page.getByRole("button", { name: "Log in and allow access" }).click();
  await expect(h1(page)).toHaveText("Mock UK Bank is connected.");
  await capture(page, { id: "11-connect-result", title: "Bank connected", note: "Back from the dialog." });
});

test("the dashboard in every state, and the banner", async ({ page, signedIn }) => {
  const day = (n: number) => new Date(Date.now() + n * 86_400_000);
  const states: { providerId: string; columns: ConnectionColumns }[] = [
    { providerId: "uk-cs-mock", columns: { consentExpiresAt: day(60) } },
    { providerId: HARBOUR, columns: { consentCreatedAt: day(-85), consentExpiresAt: day(5) } },
    { providerId: KESTREL, columns: { consentCreatedAt: day(-100), consentExpiresAt: day(-10) } },
    { providerId: "uk-cs-mock", columns: { status: "NEEDS_BANK_AUTH", statusReason: "reconnect_required" } },
    {
      providerId: HARBOUR,
      columns: { status: "REVOKED", accessTokenSealed: null, refreshTokenSealed: null },
    },
  ];
  for (const state of states) {
    const { id } = await seedLiveConnection(signedIn.id, {
      password: "eternal",
      providerId: state.providerId,
    });
    await setSeededConnection(id, state.columns);
  }
  await page.goto("/connections");
  const banner = page.getByRole("complementary", { name: "Bank access ending" });
  await expect(banner).toBeVisible();
  await capture(page, {
    id: "12-dashboard-states",
    title: "Connections in every state",
    note: "Five connections, in the one set of status words: Active, Renew by (5 days left), Paused since (ended 10 days ago), Needs your bank (the refresh token no longer works) and Stopped by you. The due banner above names each bank that needs the user, with that bank's own status.",
  });
  await capture(page, {
    id: "13-due-banner",
    title: "Reconfirmation due banner",
    note: "Shown on every signed-in page while a connection is expiring, lapsed or needs the bank.",
    element: banner,
  });
});

test("reconfirming one bank: the merged yes/no screen, pending, extended", async ({ page, signedIn }) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await ageConnections(80, [seeded]);
  await page.goto("/reconfirm");
  await expect(h1(page)).toHaveText("Keep sharing from Mock UK Bank?");
  await capture(page, {
    id: "14-reconfirm-single",
    title: "Reconfirmation: one bank (consent and reconfirmation merged)",
    note: "Day 80 of 90. With a single connection the bank is shown as the choice itself; yes or no.",
  });

  await injectFault({ endpoint: "extend", kind: "delay", ms: 5000 });
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByRole("button", { name: "Contacting your bank…" })).toBeVisible();
  await capture(page, {
    id: "15-reconfirm-pending",
    title: "Reconfirmation: waiting for the bank",
    note: "After Yes, while TrueLayer answers (slowed down on purpose to photograph it). Both buttons are disabled.",
  });
  await expect(h1(page)).toHaveText(/^Mock UK Bank: sharing continues until/, { timeout: 15_000 });
  await capture(page, {
    id: "16-reconfirm-extended",
    title: "Result: extended",
    note: "TrueLayer answered no_action_needed; the new end date is shown.",
  });
});

test("reconfirming several banks: nothing ticked, the error, the results", async ({ page, signedIn }) => {
  const seeded = [];
  for (const providerId of ["uk-cs-mock", HARBOUR, KESTREL]) {
    seeded.push(await seedLiveConnection(signedIn.id, { password: "eternal", providerId }));
  }
  await ageConnections(80, seeded);
  await page.goto("/reconfirm");
  await expect(h1(page)).toHaveText("Keep sharing from 3 banks?");
  await capture(page, {
    id: "17-reconfirm-several",
    title: "Reconfirmation: several banks",
    note: "Three connections due. Nothing is ticked in advance.",
  });
  const yes = page.getByRole("button", { name: "Keep sharing from the selected banks" });
  await yes.click();
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await expect(summary).toContainText("Choose at least one bank");
  await expect(summary).toBeFocused();
  await capture(page, {
    id: "18-reconfirm-several-error",
    title: "Reconfirmation: no bank chosen",
    note: "Submitted with nothing ticked: an error summary (the GOV.UK pattern) at the top of the page takes focus; its link moves focus to the first bank's checkbox.",
  });
  await page.getByRole("checkbox", { name: /Mock UK Bank/ }).check();
  await page.getByRole("checkbox", { name: /Harbour Building Society/ }).check();
  await yes.click();
  await expect(h1(page)).toHaveText("Done: sharing continues from Harbour Building Society and Mock UK Bank");
  await capture(page, {
    id: "19-reconfirm-several-results",
    title: "Results: several banks extended",
    note: "Two of the three ticked; the third is left as it was.",
  });
});

test("the wording changed while the page was open", async ({ page, signedIn }) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await ageConnections(80, [seeded]);
  await page.goto("/reconfirm");
  // A day passes: the new end date in the wording moves, so the yes no longer matches what is shown.
  await moveClocks(81);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /The wording changed/ })).toBeVisible();
  await capture(page, {
    id: "20-reconfirm-wording-changed",
    title: "Reconfirmation: the wording changed",
    note: "The page was left open past midnight, so the end date it promised changed; nothing is sent to TrueLayer and the current wording is shown.",
  });
});

test("renewing at the bank, and back", async ({ page, signedIn }) => {
  const seeded = [
    await seedLiveConnection(signedIn.id, { password: "eternal" }),
    await seedLiveConnection(signedIn.id, { password: "doe", providerId: HARBOUR }),
  ];
  await ageConnections(80, seeded);
  await page.goto("/reconfirm");
  for (const box of await page.getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Keep sharing from the selected banks" }).click();
  await expect(h1(page)).toHaveText("1 of 2 banks done");
  await capture(page, {
    id: "34-reconfirm-several-before-bank",
    title: "Several banks: one done, one needs the bank",
    note: "Mock UK Bank was renewed at once; Harbour answered authentication_needed. Before the user is sent to a bank, the page says what is already done and what the trip is for; the bank's page is asked for when they press Continue.",
  });
  await page.getByRole("button", { name: "Continue to Harbour Building Society" }).click();
  await expect(page).toHaveURL(/\/_bank\/reauth\//);
  await capture(page, {
    id: "21-bank-reauth",
    title: "The bank asks the user to confirm",
    note: "TrueLayer answered authentication_needed; the simulator plays the bank's page.",
  });
  await approveAtBank(page);
  await expect(page).toHaveURL(/\/reconfirm\/progress\?exchange=/);
  await expect(h1(page)).toHaveText("Done: sharing continues from Harbour Building Society and Mock UK Bank");
  await capture(page, {
    id: "22-bank-return-progress",
    title: "Back from the bank: every bank done",
    note: "The heading names every bank; each card says its own status; the balances read since show as on the one-bank result.",
  });
});

test("the bank must be connected again", async ({ page, signedIn }) => {
  await seedLiveConnection(signedIn.id, { password: "eternal" });
  // Nothing used the refresh token for 80 days, so it has died (after 30 idle days in the simulator).
  await moveClocks(80);
  await page.goto("/reconfirm");
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(h1(page)).toHaveText("Mock UK Bank: connect again to keep sharing");
  await capture(page, {
    id: "23-reconnect-needed",
    title: "Result: connect again",
    note: "Extend could not be used (TrueLayer refused the stored refresh token); the user is offered the connect flow for the same bank.",
  });
});

test("TrueLayer has not reviewed the screen yet", async ({ page, signedIn }) => {
  const { id } = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await setAppClient({ consentScreenReviewed: false });
  try {
    await page.goto(`/reconfirm?connection=${id}`);
    await page.getByRole("button", { name: "Yes, keep sharing" }).click();
    await expect(page.getByText(/isn't switched on for Reconsent yet/)).toBeVisible();
    await capture(page, {
      id: "24-consent-screen-not-reviewed",
      title: "Result: renewal not switched on yet",
      note: "TrueLayer refused extend because this screen has not been reviewed; connecting again is offered and the stored tokens are kept.",
    });
  } finally {
    await setAppClient({ consentScreenReviewed: true });
  }
});

test("saying no, and stopping", async ({ page, signedIn }) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await ageConnections(80, [seeded]);
  await page.goto("/reconfirm");
  await page.getByRole("button", { name: "No, stop sharing" }).click();
  await expect(h1(page)).toHaveText("Stop sharing from Mock UK Bank?");
  await capture(page, {
    id: "25-declined",
    title: "No, stop sharing: confirm",
    note: "After No: one confirmation naming the bank; going back changes nothing.",
  });
  await page.getByRole("button", { name: "Stop sharing from Mock UK Bank" }).click();
  await expect(page.getByRole("status")).toContainText("You've stopped sharing data from Mock UK Bank.");
  await capture(page, {
    id: "26-stopped-notice",
    title: "Stopped",
    note: "Revoked at TrueLayer; listed under Stopped with its date (Stopped by you on …).",
  });
  await page.getByRole("link", { name: "History of Mock UK Bank" }).click();
  await expect(h1(page)).toHaveText("History: Mock UK Bank");
  await capture(page, {
    id: "27-history",
    title: "Connection history",
    note: "Connected, declined, stopped, newest first; reconfirmations open to the words the user saw.",
  });
});

test("cancelled at the bank, and a forged callback", async ({ page, signedIn: _ }) => {
  await page.goto("/connections");
  await page.getByRole("button", { name: "Connect a bank" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(h1(page)).toHaveText("You cancelled — nothing changed");
  await capture(page, {
    id: "28-cancelled-at-bank",
    title: "Cancelled at the bank",
    note: "The user pressed Cancel in the dialog.",
  });

  // The dialog's answer is a redirect to /callback; swap its state for one we never issued.
  await page.route(/\/_dialog\/[^/]+\/login$/, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = new URL(response.headers().location ?? "");
    location.searchParams.set("state", "forged-state-that-we-never-issued");
    await route.fulfill({ status: 303, headers: { location: location.toString() } });
  });
  await page.goto("/connections");
  await page.getByRole("button", { name: "Connect a bank" }).click();
  await page.getByRole("button", { name: "Mock UK Bank" }).click();
  await page.getByLabel("Username").fill("john");
  await page.getByLabel("Password").fill("eternal");
  await page.getByRole("button", { name: "Log in and allow access" }).click();
  await expect(h1(page)).toHaveText("We couldn't finish connecting your bank");
  await capture(page, {
    id: "29-problem",
    title: "Problem connecting",
    note: "The callback arrived with a state Reconsent never issued (forged); the code is not used.",
  });
});

test("settings, and nothing to renew", async ({ page, signedIn: _ }) => {
  await page.goto("/settings");
  await expect(h1(page)).toHaveText("Settings");
  await capture(page, {
    id: "30-settings",
    title: "Settings",
    note: "Name, email, reminder emails, signed-in devices and recent security activity (empty here: the test user's session was made directly, without a sign-in).",
  });
  await page.goto("/reconfirm");
  await expect(h1(page)).toHaveText("Nothing to renew right now");
  await capture(page, {
    id: "31-nothing-to-renew",
    title: "Reconfirmation: nothing due",
    note: "/reconfirm opened when no connection needs the user.",
  });
});

test("not now", async ({ page, signedIn }) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await ageConnections(80, [seeded]);
  await page.goto("/reconfirm");
  await page.getByRole("link", { name: "Not now: decide later, nothing changes" }).click();
  await expect(h1(page)).toHaveText("Nothing changed");
  await capture(page, {
    id: "32-not-now",
    title: "Not now",
    note: 'Day 80 of 90, "Not now" pressed: nothing is sent to TrueLayer; the page says when the next reminder email comes (here none has been sent yet, so one goes out with the next daily run).',
  });
});

test("stopped in another tab, then yes", async ({ page, context, signedIn }) => {
  const seeded = await seedLiveConnection(signedIn.id, { password: "eternal" });
  await ageConnections(80, [seeded]);
  const { id } = seeded;
  await page.goto("/reconfirm");
  await expect(h1(page)).toHaveText("Keep sharing from Mock UK Bank?");
  const other = await context.newPage();
  await other.goto(`/connections/${id}/stop`);
  await other.getByRole("button", { name: "Stop sharing" }).click();
  await expect(other).toHaveURL(/\/connections\?stopped=/);
  await other.close();
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
  await expect(h1(page)).toHaveText("Sharing from Mock UK Bank was stopped");
  await capture(page, {
    id: "33-stopped-elsewhere",
    title: "Yes for a bank stopped in another tab",
    note: "The screen was open in one tab while sharing from the bank was stopped in another; Yes then renews nothing and says when sharing stopped and how to connect again.",
  });
});
