import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { type Sandbox, startSandbox } from "../server";

let sandbox: Sandbox;
let redirectUri: string;
const client = { clientId: "sandbox-e2e", clientSecret: "e2e-secret" };

test.beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, dataFile: null, mode: "test" });
  redirectUri = `${sandbox.url}/_sandbox/echo`;
  const res = await fetch(`${sandbox.url}/_sandbox/clients`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-sandbox-token": sandbox.controlToken },
    body: JSON.stringify({ ...client, redirectUris: [redirectUri] }),
  });
  expect(res.status).toBe(201);
});

test.afterAll(async () => {
  await sandbox.close();
});

function authLink(state: string): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: redirectUri,
    scope: "info accounts balance offline_access",
    providers: "uk-cs-mock uk-ob-all uk-oauth-all",
    state,
  });
  return `${sandbox.url}/?${q.toString()}`;
}

test.use({ viewport: { width: 360, height: 740 } });

test("a user picks Mock UK Bank, logs in as john/doe and lands on the redirect URI with a code", async ({
  page,
}) => {
  await page.goto(authLink("e2e-state"));
  await expect(page.getByRole("heading", { name: "Choose your bank" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await page.getByRole("button", { name: "Mock UK Bank" }).click();

  await expect(page.getByRole("heading", { name: "Log in to Mock UK Bank" })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await page.getByRole("textbox", { name: "Username" }).fill("john");
  await page.getByLabel("Password").fill("doe");
  await page.getByRole("button", { name: /log in/i }).click();

  await expect(page.getByRole("heading", { name: "Redirect received" })).toBeVisible();
  const landed = new URL(page.url());
  expect(`${landed.origin}${landed.pathname}`).toBe(redirectUri);
  expect(landed.searchParams.get("code")).toMatch(/^sbx_code_/);
  expect(landed.searchParams.get("state")).toBe("e2e-state");
});

test("cancel returns to the app with error=access_denied", async ({ page }) => {
  await page.goto(authLink("cancel-state"));
  await page.getByRole("button", { name: "Cancel" }).click();
  const landed = new URL(page.url());
  expect(landed.searchParams.get("error")).toBe("access_denied");
  expect(landed.searchParams.get("state")).toBe("cancel-state");
});

test("a wrong password shows an error on the dialog", async ({ page }) => {
  await page.goto(authLink("wrong-state"));
  await page.getByRole("button", { name: "Kestrel Bank" }).click();
  await page.getByRole("textbox", { name: "Username" }).fill("john");
  await page.getByLabel("Password").fill("not-it");
  await page.getByRole("button", { name: /log in/i }).click();
  await expect(page.getByRole("alert")).toContainText("incorrect");
  expect(new URL(page.url()).origin).toBe(sandbox.url);
});
