import { expect, test } from "./fixtures";

test("every page carries the security headers and a fresh nonce, and runs its scripts under them", async ({
  page,
  signedIn: _signedIn,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
      violations.push(message.text());
  });
  const first = await page.goto("/connections");
  const headers = first?.headers() ?? {};
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["cache-control"]).toContain("no-store");
  const again = await page.reload();
  const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
  expect(nonceOf(again?.headers()["content-security-policy"])).not.toBe(
    nonceOf(headers["content-security-policy"]),
  );
  // A client component that only works once React has hydrated under the policy.
  await page.goto("/settings");
  await expect(page.getByRole("button", { name: /save name/i })).toBeEnabled();
  expect(violations).toEqual([]);
});

test("the callback sends no referrer, so the bank's code cannot leak", async ({ request }) => {
  const res = await request.get("/callback?code=abc&state=forged", { maxRedirects: 0 });
  expect(res.headers()["referrer-policy"]).toBe("no-referrer");
  expect(res.headers()["cache-control"]).toContain("no-store");
});

test("a route's own stricter headers win: /unsubscribe sends no referrer and its own policy", async ({
  request,
}) => {
  const res = await request.get("/unsubscribe?token=not-a-real-token", { maxRedirects: 0 });
  expect(res.status()).toBe(400);
  expect(res.headers()["referrer-policy"]).toBe("no-referrer");
  expect(res.headers()["content-security-policy"]).toBe(
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  );
});

test("a path in any but its plain spelling is refused before anything runs", async ({ request }) => {
  for (const path of ["/api/auth/callback/%65mail", "/%63onnections", "/api/cron/%72eminders"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(404);
  }
});
