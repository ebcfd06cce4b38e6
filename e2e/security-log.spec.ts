import { createUser, e2eEnv, expect, olderSession, signIn, sql, test } from "./fixtures";
import { latestMailTo, linksIn } from "./inbox";

// The security event log (issue 27 item 8) and operator pages behind a recent sign-in (item 9).

async function kindsOf(userId: string): Promise<string[]> {
  const rows = await sql<{ kind: string; reason: string | null }>(
    `select kind, reason from "SecurityEvent" where "userId" = $1 order by "createdAt"`,
    [userId],
  );
  return rows.map((r) => (r.reason ? `${r.kind} ${r.reason}` : r.kind));
}

test("a failed link, a sign-in and a download are logged, and Settings shows the user their own", async ({
  page,
}) => {
  const user = await createUser({ name: "Log Reader" });
  // A made-up token for this address, posted from our own page.
  await page.goto(`/signin/confirm?token=${"c".repeat(64)}&email=${encodeURIComponent(user.email)}`);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/signin\/error/);

  await page.goto("/signin");
  await page.getByLabel("Email address").fill(user.email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  // The mail can arrive before this browser has the answer that marks it as where the link was asked for.
  await expect(page).toHaveURL(/\/signin\/check-email$/);
  const [link] = linksIn((await latestMailTo(user.email)).text);
  await page.goto(link ?? "");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/connections$/);
  expect((await page.request.get("/settings/data/download")).status()).toBe(200);

  expect(await kindsOf(user.id)).toEqual([
    "SIGN_IN_FAILED Verification",
    "SIGN_IN link_asked_here",
    "DATA_DOWNLOADED",
  ]);
  await page.goto("/settings");
  const activity = page.getByRole("region", { name: "Recent security activity" });
  await expect(activity.getByRole("listitem")).toHaveText([
    /Your data was downloaded$/,
    /Signed in: with a link asked for in the same browser$/,
    /A sign-in link for your address did not work$/,
  ]);
  // Nothing of the token or the address is stored.
  const stored = JSON.stringify(await sql(`select * from "SecurityEvent" where "userId" = $1`, [user.id]));
  expect(stored).not.toContain("cccccccc");
  expect(stored).not.toContain(user.email);

  await page.getByRole("button", { name: "Sign out of every device" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=all$/);
  expect((await kindsOf(user.id)).at(-1)).toBe("SIGN_OUT_EVERYWHERE");
});

test("deleting the account erases its events and leaves one that names no one", async ({
  page,
  signedIn,
}) => {
  await page.goto("/settings/data");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your data");
  expect((await page.request.get("/settings/data/download")).status()).toBe(200);
  expect(await kindsOf(signedIn.id)).toEqual(["DATA_DOWNLOADED"]);
  const before = await sql<{ n: number }>(
    `select count(*)::int as n from "SecurityEvent" where kind = 'ACCOUNT_DELETED' and "userId" is null`,
  );
  await page.goto("/settings/delete");
  await page.getByLabel(/I understand/).check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/account-deleted/);
  expect(await sql(`select 1 from "SecurityEvent" where "userId" = $1`, [signedIn.id])).toHaveLength(0);
  const after = await sql<{ n: number }>(
    `select count(*)::int as n from "SecurityEvent" where kind = 'ACCOUNT_DELETED' and "userId" is null`,
  );
  expect(after[0]?.n).toBe((before[0]?.n ?? 0) + 1);
});

test("operator pages need the role and a recent sign-in, and each visit is logged", async ({ browser }) => {
  const operator = await createUser({ name: "Opal Operator" });
  await sql(`update "User" set role = 'OPERATOR' where id = $1`, [operator.id]);

  const stale = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  await olderSession(stale, operator, 20);
  const page = await stale.newPage();
  for (const path of ["/operator/funnel", "/operator/audit", "/operator/security"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(
      new RegExp(`/signin/again\\?callbackUrl=${encodeURIComponent(path)}$`),
    );
  }
  const day = new Date().toISOString().slice(0, 10);
  const exported = await page.request.get(`/operator/audit/export?from=${day}&to=${day}`, {
    maxRedirects: 0,
  });
  expect(exported.status()).toBe(303);
  expect(await kindsOf(operator.id)).toEqual([]);
  await stale.close();

  const fresh = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  await signIn(fresh, operator);
  const now = await fresh.newPage();
  await now.goto("/operator/security");
  await expect(now.getByRole("heading", { level: 1 })).toHaveText("Security events");
  await now.goto("/operator/funnel");
  await expect(now.getByRole("heading", { level: 1 })).toHaveText("Reconfirmation funnel");
  expect((await now.request.get(`/operator/audit/export?from=${day}&to=${day}`)).status()).toBe(200);
  expect(await kindsOf(operator.id)).toEqual([
    "OPERATOR_PAGE_VIEWED /operator/security",
    "OPERATOR_PAGE_VIEWED /operator/funnel",
    "AUDIT_EXPORTED web:csv",
  ]);
  await fresh.close();

  // Someone without the role finds nothing there, fresh sign-in or not.
  const user = await createUser();
  const other = await browser.newContext({ baseURL: e2eEnv().APP_URL });
  await signIn(other, user);
  const res = await other.request.get("/operator/security", { maxRedirects: 0 });
  expect(res.status()).toBe(404);
  await other.close();
});
