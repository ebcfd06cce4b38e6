import type { Browser, Page } from "@playwright/test";
import { seedTokenlessConnection } from "./connect-flow";
import { createUser, expect, pageAlert, signIn, sql, type TestUser, test } from "./fixtures";
import {
  type OtherWorld,
  seedOtherWorld,
  seedReconfirmationAtBank,
  sessionTokenFor,
  snapshotOf,
  unsubscribeTokenFor,
} from "./security-fixtures";

// The authorisation sweep: user A, signed in, sends every server action and every route another
// user's ids. Forms are tampered in a browser with JavaScript off, so the browser posts exactly the
// DOM; every answer is a refusal and not one of B's rows changes.

let other: OtherWorld;
let before: string;

test.beforeEach(async () => {
  other = await seedOtherWorld(await createUser({ name: "Bo Other" }));
  before = await snapshotOf(other.user.id);
});
test.afterEach(async () => {
  expect(await snapshotOf(other.user.id)).toBe(before);
});

async function noScriptPage(browser: Browser, user: TestUser): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await signIn(context, user);
  return context.newPage();
}

async function setField(page: Page, name: string, values: string[]) {
  await page.locator("form").evaluateAll(
    (forms, [field, wanted]) => {
      for (const form of forms as HTMLFormElement[]) {
        const inputs = [...form.querySelectorAll<HTMLInputElement>(`input[name="${field}"]`)];
        if (inputs.length === 0) continue;
        for (const input of inputs.slice(1)) input.remove();
        const first = inputs[0] as HTMLInputElement;
        for (const value of (wanted as string[]).slice(1)) {
          const copy = first.cloneNode() as HTMLInputElement;
          copy.value = value;
          first.after(copy);
        }
        first.value = (wanted as string[])[0] ?? "";
      }
    },
    [name, values] as const,
  );
}

async function addField(page: Page, formIndex: number, name: string, value: string) {
  await page
    .locator("form")
    .nth(formIndex)
    .evaluate(
      (form, [n, v]) => {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = n;
        input.value = v;
        form.append(input);
      },
      [name, value] as const,
    );
}

test.describe("server actions refuse another user's ids", () => {
  test("stop sharing", async ({ browser, user }) => {
    const page = await noScriptPage(browser, user);
    const mine = await seedTokenlessConnection(user.id);
    await page.goto(`/connections/${mine}/stop`);
    await setField(page, "connectionId", [other.connectionId]);
    await page.getByRole("button", { name: "Stop sharing" }).click();
    await expect(pageAlert(page)).toHaveText("We couldn't find that bank connection.");
    const [row] = await sql(`select status from "Connection" where id = $1`, [mine]);
    expect(row?.status).toBe("ACTIVE");
  });

  test("connect again (reconnect) with another user's connection", async ({ browser, user }) => {
    const page = await noScriptPage(browser, user);
    const mine = await seedTokenlessConnection(user.id);
    await page.goto(`/connections/cancelled?reconnect=${mine}`);
    await setField(page, "connectionId", [other.connectionId]);
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(pageAlert(page)).toHaveText("We couldn't find that bank connection.");
    expect(await sql(`select id from "AuthState" where "userId" = $1`, [user.id])).toHaveLength(0);
  });

  // Without JavaScript the page does not show the decline action's message (its form state is not
  // matched back to the button's hook), so for "No" the proof is staying on the page with nothing
  // recorded; with "Yes" the refusal is also shown.
  for (const button of ["Yes, keep sharing", "No, stop sharing"]) {
    test(`reconfirm screen: "${button}"`, async ({ browser, user }) => {
      const page = await noScriptPage(browser, user);
      const mine = await seedTokenlessConnection(user.id);
      const refused = async () => {
        await expect(page).toHaveURL(/\/reconfirm\?connection=/);
        if (button.startsWith("Yes")) {
          await expect(pageAlert(page)).toHaveText(
            "We couldn't find those banks in your account. Nothing was changed.",
          );
        } else
          await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keep sharing from Mock UK Bank?");
      };
      await page.goto(`/reconfirm?connection=${mine}`);
      await setField(page, "connectionId", [other.connectionId]);
      await setField(page, "shownConnectionId", [other.connectionId]);
      await page.getByRole("button", { name: button }).click();
      await refused();
      // Mixed: one of mine with one of theirs is refused as a whole.
      await page.goto(`/reconfirm?connection=${mine}`);
      await setField(page, "connectionId", [mine, other.plainConnectionId]);
      await setField(page, "shownConnectionId", [mine, other.plainConnectionId]);
      await page.getByRole("button", { name: button }).click();
      await refused();
      expect(await sql(`select id from "ConnectionEvent" where "connectionId" = $1`, [mine])).toHaveLength(0);
    });
  }

  test("continue at the next bank", async ({ browser, user }) => {
    const page = await noScriptPage(browser, user);
    const mine = await seedTokenlessConnection(user.id);
    const myReconfirmation = await seedReconfirmationAtBank(user.id, mine);
    const tries: [string, string][] = [
      [other.reconfirmationId, other.connectionId],
      [other.reconfirmationId, mine],
      [myReconfirmation, other.connectionId],
    ];
    for (const [reconfirmationId, connectionId] of tries) {
      await page.goto(`/reconfirm/done?r=${myReconfirmation}`);
      await setField(page, "reconfirmationId", [reconfirmationId]);
      await setField(page, "connectionId", [connectionId]);
      await page.getByRole("button", { name: "Continue to Mock UK Bank" }).click();
      await expect(pageAlert(page)).toHaveText(
        "We couldn't continue with that bank. Please start again from your connections.",
      );
    }
  });

  test("settings: name and reminders only ever touch the session's user", async ({ browser, user }) => {
    const page = await noScriptPage(browser, user);
    await page.goto("/settings");
    const forms = await page.locator("form").count();
    for (let i = 0; i < forms; i++) {
      for (const field of ["userId", "id", "email"]) await addField(page, i, field, other.user.id);
    }
    await page.getByLabel(/full name/i).fill("Ann Attacker");
    await page.getByRole("button", { name: /save/i }).first().click();
    await expect(page.getByText("Your name is saved.")).toBeVisible();
    const [me] = await sql(`select name from "User" where id = $1`, [user.id]);
    expect(me?.name).toBe("Ann Attacker");
  });

  test("sign out ends only this browser's session", async ({ browser, user }) => {
    const page = await noScriptPage(browser, user);
    await page.goto("/connections");
    const [theirs] = await sql(`select "sessionToken" from "Session" where "userId" = $1`, [other.user.id]);
    const signOut = page.locator("form", { has: page.getByRole("button", { name: /sign out/i }) });
    await signOut.evaluate((form, token) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "sessionToken";
      input.value = String(token ?? "");
      form.append(input);
    }, theirs?.sessionToken);
    await page.getByRole("button", { name: /sign out/i }).click();
    await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  });
});

test.describe("pages and routes refuse another user's ids", () => {
  test("pages answer not found or show nothing of theirs", async ({ request, user }) => {
    const headers = { cookie: `next-auth.session-token=${await sessionTokenFor(user)}` };
    const notFound = [
      `/connections/result/${other.connectExchangeId}`,
      `/connections/result/${other.extendExchangeId}`,
      `/connections/${other.connectionId}/stop`,
      `/reconfirm/progress?exchange=${other.extendExchangeId}`,
      `/reconfirm/progress?exchange=${other.connectExchangeId}`,
      `/reconfirm/done?r=${other.reconfirmationId}`,
    ];
    for (const path of notFound) {
      const res = await request.get(path, { headers, maxRedirects: 0 });
      expect(res.status(), path).toBe(404);
      expect(await res.text(), path).not.toContain("Mock UK Bank");
    }
    for (const path of [
      `/reconfirm?connection=${other.connectionId}`,
      `/reconfirm/declined?c=${other.connectionId}`,
    ]) {
      const res = await request.get(path, { headers, maxRedirects: 0 });
      expect(res.status(), path).toBe(200);
      // Their id is only echoed from the URL; nothing of their bank is shown.
      const html = await res.text();
      expect(html, path).not.toContain("Mock UK Bank");
      expect(html, path).not.toContain(`name="connectionId" value="${other.connectionId}"`);
    }
  });

  test("/callback with another user's state changes nothing and consumes nothing", async ({
    request,
    user,
  }) => {
    const headers = { cookie: `next-auth.session-token=${await sessionTokenFor(user)}` };
    const tries = [
      { q: `code=made-up-code&state=${other.rawState}`, to: "/connections/problem?reason=link" },
      { q: `error=access_denied&state=${other.rawState}`, to: "/connections/cancelled" },
    ];
    for (const { q, to } of tries) {
      const res = await request.get(`/callback?${q}`, { headers, maxRedirects: 0 });
      expect(res.status()).toBe(303);
      expect(
        new URL(res.headers().location ?? "").pathname + new URL(res.headers().location ?? "").search,
      ).toBe(to);
    }
  });

  test("/unsubscribe with a token re-pointed at another user is refused", async ({ request, user }) => {
    const [, mySignature] = unsubscribeTokenFor(user.id).split(".");
    const tampered = `${Buffer.from(other.user.id).toString("base64url")}.${mySignature}`;
    for (const method of ["get", "post"] as const) {
      const res = await request[method](`/unsubscribe?token=${encodeURIComponent(tampered)}`, {
        maxRedirects: 0,
      });
      expect(res.status()).toBe(400);
    }
    const mine = await request.post(`/unsubscribe?token=${encodeURIComponent(unsubscribeTokenFor(user.id))}`);
    expect(mine.status()).toBe(200);
  });

  test("the reminders cron and the readiness check refuse callers without the secret", async ({
    request,
  }) => {
    for (const authorization of [undefined, "Bearer wrong", `Bearer ${other.user.id}`]) {
      const res = await request.post("/api/cron/reminders", {
        headers: authorization ? { authorization } : {},
        maxRedirects: 0,
      });
      expect([401, 503]).toContain(res.status());
      const readiness = await request.get("/api/ready", {
        headers: authorization ? { authorization } : {},
        maxRedirects: 0,
      });
      expect(readiness.status()).toBe(401);
      expect(await readiness.json()).toEqual({ error: "unauthorized" });
    }
  });

  test("signed out, the data download and the audit export answer nothing", async ({ request }) => {
    expect((await request.get("/settings/data/download", { maxRedirects: 0 })).status()).toBe(401);
    const day = new Date().toISOString().slice(0, 10);
    expect(
      (await request.get(`/operator/audit/export?from=${day}&to=${day}`, { maxRedirects: 0 })).status(),
    ).toBe(404);
  });

  test("a signed-out visitor is sent to sign in by every signed-in page", async ({ request }) => {
    for (const path of [
      `/connections/result/${other.connectExchangeId}`,
      `/connections/${other.connectionId}/stop`,
      `/reconfirm?connection=${other.connectionId}`,
      `/reconfirm/progress?exchange=${other.extendExchangeId}`,
      `/reconfirm/done?r=${other.reconfirmationId}`,
      "/settings",
      "/settings/data",
      "/settings/delete",
      "/operator/audit",
      "/operator/status",
    ]) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect([303, 307, 308], path).toContain(res.status());
      expect(res.headers().location ?? "", path).toContain("/signin");
    }
  });
});

// Found by this sweep: a NUL byte in a page's id reached PostgreSQL, which refused it, and the page
// answered 500. Pages now check ids (lib/ids.ts) before any query.
test("ids PostgreSQL would refuse answer not found, never 500", async ({ request, user }) => {
  const headers = { cookie: `next-auth.session-token=${await sessionTokenFor(user)}` };
  for (const path of [
    "/reconfirm?connection=%00",
    "/reconfirm/done?r=%00",
    "/reconfirm/progress?exchange=%00",
    "/reconfirm/declined?c=%00",
    "/connections/%00/stop",
    "/connections/result/%00",
  ]) {
    const res = await request.get(path, { headers, maxRedirects: 0 });
    expect(res.status(), path).toBeLessThan(500);
  }
});
