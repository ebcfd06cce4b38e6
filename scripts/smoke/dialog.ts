import type { Locator, Page } from "@playwright/test";

// Drives a bank dialog in Chromium by what each page shows, not by knowing its markup, so the same code
// walks the simulator's pages and TrueLayer's. What TrueLayer's dialog shows, and where it comes from:
// - public (docs.truelayer.com/docs/full-flow-authentication, /docs/customise-the-auth-journey): the full
//   flow is bank selection, then TrueLayer's consent page, then the bank's login; `provider_id` skips the
//   first; the dialog returns to the redirect URI with a code (/docs/auth-link-basics).
// - public (docs.truelayer.com/docs/mock-users): the mock bank takes a username and a password.
// - guesses that only a run with real credentials can confirm: that the mock bank's tile is a button or
//   link whose text contains "mock", that the consent page's button reads like "Allow"/"Continue", that a
//   cookie banner (if any) reads "Accept", that the bank's login is one page with a password field and a
//   submit button, and what the `user_input_link` of `authentication_needed` opens (assumed: the same login).

export type Login = { username: string; password: string };

const SUBMIT = /^(log ?in|sign ?in|continue|submit|approve|allow|authori[sz]e|next|confirm|proceed)\b/i;
const CONSENT = /\b(allow|agree|accept|continue|confirm|approve|consent|proceed|next)\b/i;
const NOT_FORWARD = /\b(cancel|back|decline|deny|reject|close|manage|settings|learn|more info)\b/i;

async function visible(locator: Locator): Promise<Locator[]> {
  const all = await locator.all();
  const out: Locator[] = [];
  for (const item of all) if (await item.isVisible().catch(() => false)) out.push(item);
  return out;
}

async function label(item: Locator): Promise<string> {
  const text = (await item.textContent().catch(() => "")) || (await item.getAttribute("value")) || "";
  return text.replace(/\s+/g, " ").trim();
}

async function forwardButtons(page: Page, pattern: RegExp): Promise<Locator[]> {
  const out: Locator[] = [];
  for (const item of await visible(page.locator("button, [role=button], input[type=submit], a[href]"))) {
    const text = await label(item);
    if (pattern.test(text) && !NOT_FORWARD.test(text) && (await item.isEnabled().catch(() => false)))
      out.push(item);
  }
  return out;
}

/** A description of the page for an error message: its title and button texts (no URL, which may hold ids). */
async function describePage(page: Page): Promise<string> {
  const title = (await page.title().catch(() => "")) || "(no title)";
  const buttons = [];
  for (const item of await visible(page.locator("button, [role=button], input[type=submit]")))
    buttons.push(await label(item));
  return `"${title}" on ${new URL(page.url()).origin}, buttons: ${buttons.filter(Boolean).join(" | ") || "(none)"}`;
}

async function logIn(page: Page, login: Login): Promise<boolean> {
  const [password] = await visible(page.locator("input[type=password]"));
  if (!password) return false;
  const [user] = await visible(
    page
      .locator("input[type=text], input[type=email], input:not([type])")
      .and(page.locator(":not([readonly])")),
  );
  if (user) await user.fill(login.username);
  await password.fill(login.password);
  const [submit] = await forwardButtons(page, SUBMIT);
  if (submit) await submit.click();
  else await password.press("Enter");
  return true;
}

async function chooseMockBank(page: Page): Promise<boolean> {
  for (const item of await visible(page.locator("button, [role=button], [role=option], a[href], li"))) {
    if (/\bmock\b/i.test(await label(item)) && !NOT_FORWARD.test(await label(item))) {
      await item.click();
      return true;
    }
  }
  const [search] = await visible(page.locator("input[type=search], input[placeholder*=earch i]"));
  if (search && !(await search.inputValue())) {
    await search.fill("mock");
    return true;
  }
  return false;
}

async function signature(page: Page): Promise<string> {
  return `${page.url()}\n${await page
    .locator("body")
    .textContent()
    .catch(() => "")}`;
}

/**
 * Opens `url` and walks the pages until the redirect URI has been reached (`returned` settles).
 * Resolves with the kinds of page passed, for the transcript.
 */
export async function walkDialog(
  page: Page,
  url: string,
  login: Login,
  returned: Promise<unknown>,
  options: { timeoutMs?: number } = {},
): Promise<string[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let done = false;
  void returned.then(
    () => {
      done = true;
    },
    () => {},
  );
  const passed: string[] = [];
  const strategies: [string, () => Promise<boolean>][] = [
    ["login", () => logIn(page, login)],
    ["bank choice", () => chooseMockBank(page)],
    [
      "consent",
      async () => {
        const [forward] = await forwardButtons(page, CONSENT);
        if (forward) await forward.click();
        return Boolean(forward);
      },
    ],
  ];
  // A strategy that left a page unchanged is not tried on that page again.
  const tried = new Set<string>();
  // Each click or fill gives up long before the whole walk's deadline, so a stuck page is reported.
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(30_000);
  await page.goto(url, { waitUntil: "domcontentloaded" });
  for (let step = 0; step < 20 && !done && Date.now() < deadline; step++) {
    await page.waitForLoadState("domcontentloaded").catch(() => {});
    if (done) break;
    const before = await signature(page);
    let acted: string | undefined;
    for (const [name, act] of strategies) {
      if (tried.has(`${name}\n${before}`)) continue;
      // A click that races a navigation can throw; the wait below tells whether the page moved on.
      if (await act().catch(() => true)) {
        acted = name;
        tried.add(`${name}\n${before}`);
        break;
      }
    }
    // Wait for the page to change (a navigation, or a single-page app moving on), or the return.
    const settle = Date.now() + (acted ? 10_000 : 2_000);
    while (
      !done &&
      Date.now() < Math.min(settle, deadline) &&
      (await signature(page).catch(() => before)) === before
    ) {
      await page.waitForTimeout(250);
    }
    if (acted && (done || (await signature(page).catch(() => before)) !== before)) passed.push(acted);
  }
  if (!done) {
    throw new Error(
      `the dialog did not reach the redirect URI (passed: ${passed.join(" → ") || "nothing"}); it shows ${await describePage(page)}`,
    );
  }
  passed.push("return");
  return passed;
}
