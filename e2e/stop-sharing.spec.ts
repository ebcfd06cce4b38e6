import { connectInBrowser, connectionsOf, seedTokenlessConnection } from "./connect-flow";
import { createUser, expect, injectFault, test } from "./fixtures";

test("stops sharing end to end", async ({ page, signedIn }) => {
  await connectInBrowser(page);
  await page.goto("/connections");
  await page.getByRole("link", { name: /stop sharing/i }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Stop sharing data from Mock UK Bank?");
  await expect(page.getByText(/connect Mock UK Bank again/)).toBeVisible();
  await page.getByRole("button", { name: "Stop sharing" }).click();

  await expect(page).toHaveURL(/\/connections\?stopped=/);
  await expect(page.getByRole("status")).toContainText("You've stopped sharing data from Mock UK Bank.");
  const stopped = page.getByRole("region", { name: "Stopped" });
  await expect(
    stopped.getByRole("article", { name: "Mock UK Bank" }).getByText(/^Stopped by you on \d{1,2} \w+ \d{4}$/),
  ).toBeVisible();
  const [row] = await connectionsOf(signedIn.id);
  expect(row).toMatchObject({ status: "REVOKED", accessTokenSealed: null, refreshTokenSealed: null });
});

test("TrueLayer down: stopped here, and the notice says TrueLayer hasn't confirmed the end", async ({
  page,
  signedIn,
}) => {
  await connectInBrowser(page);
  await page.goto("/connections");
  await page.getByRole("link", { name: /stop sharing/i }).click();
  await injectFault({ endpoint: "delete", kind: "503", count: 3 });
  await page.getByRole("button", { name: "Stop sharing" }).click();
  await expect(page).toHaveURL(/\/connections\?stopped=/);
  await expect(page.getByRole("status")).toContainText(
    "TrueLayer hasn't confirmed its end yet: we keep trying to end it there, then delete our copy.",
  );
  const [row] = await connectionsOf(signedIn.id);
  expect(row).toMatchObject({ status: "REVOKED", refreshTokenSealed: null });
});

test("keep sharing leaves the connection as it was", async ({ page, signedIn }) => {
  await connectInBrowser(page);
  await page.goto("/connections");
  await page.getByRole("link", { name: /stop sharing/i }).click();
  await page.getByRole("link", { name: "Keep sharing" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  expect((await connectionsOf(signedIn.id))[0]?.status).toBe("ACTIVE");
});

test("another user's connection is not found, and the action refuses it", async ({ page, signedIn }) => {
  const other = await createUser();
  const theirs = await seedTokenlessConnection(other.id);
  await page.goto(`/connections/${theirs}/stop`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We couldn't find that");

  const mine = await seedTokenlessConnection(signedIn.id);
  await page.goto(`/connections/${mine}/stop`);
  await page.locator('input[name="connectionId"]').evaluate((input, id) => {
    (input as HTMLInputElement).value = id;
  }, theirs);
  await page.getByRole("button", { name: "Stop sharing" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "We couldn't find that bank connection." }),
  ).toBeVisible();
  expect((await connectionsOf(other.id))[0]?.status).toBe("ACTIVE");
  expect((await connectionsOf(signedIn.id))[0]?.status).toBe("ACTIVE");
});
