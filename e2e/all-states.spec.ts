// Issue 29: every page and mail that names a connection says what lib/connections/status-words.ts says of it.
// Connections are put into every state through the real paths (the test kit's seedConnection, custody's stop and
// decline, "Yes, keep sharing" in the browser), then every page that names them is read and compared:
//   active, due, lapsed, paused (lapsed 20 days), stopped, declined, failed, renewed elsewhere, bank trip pending,
//   needs your bank: the dashboard card and banner, history, the reconfirmation screen (when due), the data page and
//   its JSON download; the reminder mails (due, lapsed, paused); the results pages (failed, renewed, renewed on a
//   later try, bank trip pending, needs your bank) and "Already renewed".
// One browser context at 360 px; mails and the JSON straight from their APIs.
import type { Page } from "@playwright/test";
import { brand } from "@/lib/brand";
import { isDue } from "@/lib/connections/consent-state";
import { declineAndStop } from "@/lib/connections/decline";
import {
  type ConnectionWords,
  connectionWords,
  dueHeadline,
  RESULT_HEADLINES,
  sharingContinues,
} from "@/lib/connections/status-words";
import { stopSharing } from "@/lib/connections/stop-sharing";
import { type Persona, seedConnection } from "../kit/seed";
import {
  appSandbox,
  createUser,
  e2eEnv,
  expect,
  moveClocks,
  signIn,
  sql,
  type TestUser,
  test,
} from "./fixtures";
import { mailTo } from "./inbox";

type Stored = {
  id: string;
  providerName: string;
  status: "ACTIVE" | "NEEDS_BANK_AUTH" | "REVOKED";
  consentCreatedAt: Date;
  consentExpiresAt: Date;
  stoppedAt: Date | null;
};

const DAY_MS = 86_400_000;
const KESTREL = "uk-oauth-mock-kestrel";
const HARBOUR = "uk-ob-mock-harbour";
const MOCK = "uk-cs-mock";

/** What the one module says of each of this user's connections now, from what is stored. */
async function wordsFor(
  userId: string,
  at = new Date(),
): Promise<Map<string, Stored & { words: ConnectionWords }>> {
  const rows = await sql<Stored>(
    `select c.id, c."providerName", c.status::text as status, c."consentCreatedAt", c."consentExpiresAt",
       (select max(e."createdAt") from "ConnectionEvent" e where e."connectionId" = c.id and e.type = 'REVOKED') as "stoppedAt"
     from "Connection" c where c."userId" = $1`,
    [userId],
  );
  return new Map(rows.map((r) => [r.id, { ...r, words: connectionWords(r, at, brand().appName) }]));
}

const card = (page: Page, bank: string) =>
  page.getByRole("article").filter({ has: page.getByRole("heading", { name: bank, exact: true }) });

/** Dashboard card and banner, history, reconfirmation screen, data page and its JSON download. */
async function checkPages(page: Page, user: TestUser, states: Record<string, string>, at = new Date()) {
  const all = await wordsFor(user.id, at);
  const name = (id: string) => `${states[id]} (${all.get(id)?.providerName})`;
  await page.goto("/connections");
  await page.screenshot({
    path: `test-results/all-states-${user.name?.split(" ")[0]}-dashboard-360.png`,
    fullPage: true,
  });
  for (const [id, c] of all) {
    await test.step(`card: ${name(id)}`, async () => {
      const article = card(page, c.providerName);
      await expect(article, name(id)).toContainText(c.words.label);
      await expect(article, name(id)).toContainText(c.words.detail);
    });
  }
  const due = [...all.values()].filter((c) => isDue(c.words.state));
  const banner = page.getByRole("complementary", { name: "Bank access ending" });
  if (due.length === 0) await expect(banner).toHaveCount(0);
  else
    await expect(banner.locator("p")).toHaveText(
      dueHeadline(
        due.map((c) => ({
          providerName: c.providerName,
          facts: { state: c.words.state, consentExpiresAt: c.consentExpiresAt },
        })),
      ),
    );

  await page.goto("/settings/data");
  await page.screenshot({
    path: `test-results/all-states-${user.name?.split(" ")[0]}-data-360.png`,
    fullPage: true,
  });
  const region = page.getByRole("region", { name: "Bank connections" });
  const download = (await (await page.request.get("/settings/data/download")).json()) as {
    connections: { id: string; status: string; consent: string; balances: string }[];
  };
  for (const [id, c] of all) {
    const heading = region.getByRole("heading", { name: c.providerName, exact: true });
    await expect(heading.locator("xpath=following-sibling::p[1]"), `data page: ${name(id)}`).toContainText(
      `${c.words.label} · ${c.words.period} ·`,
    );
    await expect(
      heading.locator("xpath=following-sibling::p[starts-with(., 'Balances kept')]"),
      `data page: ${name(id)}`,
    ).toHaveText(`Balances kept: ${c.words.kept}`);
    const json = download.connections.find((x) => x.id === id);
    expect(json, `JSON: ${name(id)}`).toMatchObject({
      status: c.words.label,
      consent: c.words.period,
      balances: c.words.kept,
    });
  }

  for (const [id, c] of all) {
    await page.goto(`/connections/${id}/history`);
    await expect(page.getByRole("main"), `history: ${name(id)}`).toContainText(`Now: ${c.words.label}`);
    await expect(page.getByRole("main"), `history: ${name(id)}`).toContainText(`· ${c.words.label}`);
    if (isDue(c.words.state)) {
      await page.goto(`/reconfirm?connection=${id}`);
      await expect(page.getByRole("main"), `reconfirm screen: ${name(id)}`).toContainText(c.words.access);
    }
  }
  return all;
}

/** Every "Sharing from <bank>: …" line in this user's reminder mails is the module's line for that bank. */
async function checkMails(user: TestUser, expectedBanks: string[]) {
  const all = [...(await wordsFor(user.id)).values()];
  const linesNow = async () =>
    (await mailTo(user.email)).flatMap((m) =>
      [...m.text.matchAll(/Sharing from ([^:\n]+): ([^\n;]+)/g)].map((x) => x[0].trim()),
    );
  // The cron route hands mails to the inbox; wait until every one has arrived.
  await expect
    .poll(async () => new Set((await linesNow()).map((l) => l.split(":")[0])))
    .toEqual(new Set(expectedBanks.map((b) => `Sharing from ${b}`)));
  const lines = await linesNow();
  for (const line of lines) {
    const bank = all.find((c) => line.startsWith(`Sharing from ${c.providerName}:`));
    expect(bank?.words.line, `mail line "${line}"`).toBe(line);
  }
}

const seed = (userId: string, options: { password: Persona; providerId: string; ageDays?: number }) =>
  seedConnection(appSandbox(), userId, options);

async function pressYes(page: Page, id: string) {
  await page.goto(`/reconfirm?connection=${id}`);
  await page.getByRole("button", { name: "Yes, keep sharing" }).click();
}

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

test("every state, every page and mail: the words are the status words module's (issue 29)", async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(180_000);
  // As a person on a phone would see each page; the screenshots are kept with the run's results.
  await page.setViewportSize({ width: 360, height: 740 });
  // Active, due, lapsed: the demo's three.
  const standing = await createUser({ name: "Standing Still" });
  const active = await seed(standing.id, { password: "multi", providerId: KESTREL, ageDays: 20 });
  const due = await seed(standing.id, { password: "eternal", providerId: MOCK, ageDays: 85 });
  const lapsed = await seed(standing.id, { password: "doe", providerId: HARBOUR, ageDays: 100 });
  // Paused for longer (its mail carries the plain link), stopped, declined.
  const ended = await createUser({ name: "Ended Ways" });
  const paused = await seed(ended.id, { password: "doe", providerId: HARBOUR, ageDays: 110 });
  const stopped = await seed(ended.id, { password: "eternal", providerId: MOCK });
  const declined = await seed(ended.id, { password: "multi", providerId: KESTREL });
  // Failed, renewed elsewhere, bank trip pending: each through "Yes, keep sharing".
  const acting = await createUser({ name: "Acting Now" });
  const failed = await seed(acting.id, { password: "multi", providerId: KESTREL, ageDays: 85 });
  const renewed = await seed(acting.id, { password: "eternal", providerId: MOCK, ageDays: 85 });
  const atBank = await seed(acting.id, { password: "doe", providerId: HARBOUR, ageDays: 85 });
  const { controls } = appSandbox();
  expect((await stopSharing(ended.id, stopped.id)).ok).toBe(true);
  expect((await declineAndStop(ended.id, [declined.id])).ok).toBe(true);

  const run = await request.get("/api/cron/reminders", {
    headers: { authorization: `Bearer ${e2eEnv().CRON_SECRET}` },
  });
  // Connections seeded as lapsed days ago never had a job run to remind them: the job sends those mails now and
  // reports them as work late (500, decision 054); nothing else may be late.
  const body = (await run.json()) as { late: boolean; maintenance: { revokeQueue: { late: boolean } } };
  expect(run.status()).toBe(body.late ? 500 : 200);
  expect(body.maintenance.revokeQueue.late).toBe(false);
  await checkMails(standing, ["Mock UK Bank", "Harbour Building Society"]);
  await checkMails(ended, ["Harbour Building Society"]);
  await checkMails(acting, ["Kestrel Bank", "Mock UK Bank", "Harbour Building Society"]);

  await signIn(context, standing);
  await checkPages(page, standing, { [active.id]: "active", [due.id]: "due", [lapsed.id]: "lapsed" });
  await signIn(context, ended);
  await checkPages(page, ended, {
    [paused.id]: "paused",
    [stopped.id]: "stopped",
    [declined.id]: "declined",
  });

  await signIn(context, acting);
  await controls.injectFault({ endpoint: "extend", kind: "503", count: 2 });
  await pressYes(page, failed.id);
  await expect(page).toHaveURL(/\/reconfirm\/done\?r=/);
  const failedResult = page.url();
  await pressYes(page, renewed.id);
  await expect(page).toHaveURL(/\/reconfirm\/done\?r=/);
  const renewedLater = page.url();
  await controls.clearFaults();
  await pressYes(page, renewed.id);
  await expect(page).toHaveURL(/\/reconfirm\/done\?r=/);
  const renewedNow = page.url();
  await pressYes(page, atBank.id);
  await expect(page).toHaveURL(/\/_bank\/reauth\//);
  const [trip] = await sql<{ reconfirmationId: string }>(
    `select "reconfirmationId" from "ConnectionEvent" where "connectionId" = $1 and type = 'SENT_TO_BANK'`,
    [atBank.id],
  );

  const all = await checkPages(page, acting, {
    [failed.id]: "failed",
    [renewed.id]: "renewed elsewhere",
    [atBank.id]: "bank trip pending",
  });
  const bank = (id: string) => all.get(id)?.providerName ?? "";
  const until = all.get(renewed.id)?.consentExpiresAt ?? new Date(0);
  // The results pages.
  await page.goto(failedResult);
  // A 503 from extend may have been acted on (decision 010): the page must not claim "not renewed".
  await expect(h1(page), "result: failed").toHaveText(RESULT_HEADLINES.unknown(bank(failed.id)));
  for (const url of [renewedLater, renewedNow]) {
    await page.goto(url);
    await expect(h1(page), "result: renewed (elsewhere)").toHaveText(
      sharingContinues(bank(renewed.id), until),
    );
  }
  await page.goto(`/reconfirm/done?r=${trip?.reconfirmationId}`);
  await expect(h1(page), "result: bank trip pending").toHaveText(RESULT_HEADLINES.at_bank(bank(atBank.id)));
  // The reconfirmation screen for a bank renewed meanwhile.
  await page.goto(`/reconfirm?connection=${renewed.id}`);
  await expect(h1(page)).toHaveText("Already renewed");
  await expect(page.getByRole("main")).toContainText(sharingContinues(bank(renewed.id), until));

  // Needs your bank: a grant idle past its refresh token's 30 days can only be renewed by connecting again.
  const stranded = await createUser({ name: "Stranded Grant" });
  const needsBank = await seed(stranded.id, { password: "eternal", providerId: MOCK });
  await moveClocks(31);
  await signIn(context, stranded);
  await pressYes(page, needsBank.id);
  await expect(h1(page), "result: needs your bank").toHaveText(RESULT_HEADLINES.reconnect("Mock UK Bank"));
  const later = await checkPages(
    page,
    stranded,
    { [needsBank.id]: "needs your bank" },
    new Date(Date.now() + 31 * DAY_MS),
  );
  expect(later.get(needsBank.id)?.words.state).toBe("needs_bank");
});
