import { expect, test } from "@playwright/test";

test("the signed-out home page explains what Reconsent does", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Keep your bank connections working");
  await expect(
    page.getByRole("main").getByText(/authorised by the Financial Conduct Authority/),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: /sign in/i })).toHaveAttribute("href", "/signin");
});

test("the health route reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", database: "ok" });
  expect(res.headers()["cache-control"]).toContain("no-store");
});
