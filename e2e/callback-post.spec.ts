import fc from "fast-check";
import { e2eEnv, expect, sql, test } from "./fixtures";

// POST /callback (form_post) from any site, with no cookies: nothing is stored for it (the fields travel in a
// short-lived sealed cookie of the browser that posted, capped to fit), so no flood of posts can grow a table.

const field = fc.oneof(
  fc.string({ minLength: 1, maxLength: 64 }),
  fc.constantFrom("x".repeat(1024), "y".repeat(2048), "z".repeat(5000), "é".repeat(700)),
);

test("cross-site form posts to /callback store nothing, and no answer carries more than a 4 KB cookie", async ({
  request,
}) => {
  const rows = async () => (await sql<{ n: string }>(`select count(*) as n from "CallbackPost"`))[0]?.n;
  const before = await rows();
  const origin = e2eEnv().APP_URL ?? "";
  await fc.assert(
    fc.asyncProperty(
      fc.record({ code: field, state: fc.option(field), error: fc.option(field), other: fc.option(field) }),
      async (form) => {
        const body = new URLSearchParams(
          Object.entries(form).filter((e): e is [string, string] => typeof e[1] === "string"),
        ).toString();
        const res = await request.post("/callback", {
          headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
          data: body,
          maxRedirects: 0,
        });
        expect(res.status()).toBe(303);
        const location = new URL(res.headers().location ?? "", origin);
        expect(location.origin).toBe(origin);
        const cookie = res.headers()["set-cookie"] ?? "";
        expect(cookie.length).toBeLessThan(4096);
        // A field over its cap is dropped; with neither a code nor an error left it is a broken link, kept nowhere.
        const kept = form.code.length <= 1024 || (form.error !== null && form.error.length <= 64);
        expect(`${location.pathname}${location.search}`).toBe(
          kept ? "/callback?posted=1" : "/connections/problem?reason=link",
        );
      },
    ),
    { numRuns: 40 },
  );
  expect(await rows()).toBe(before);
});
