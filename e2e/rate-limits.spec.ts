import { randomBytes } from "node:crypto";
import { e2eEnv, expect, sql, test } from "./fixtures";
import { formWith, getHtml, postForm } from "./forms";
import { latestMailTo, linksIn } from "./inbox";
import { sessionTokenFor } from "./security-fixtures";

// The database-backed limits, over HTTP exactly as a browser without JavaScript posts the forms.

test("the 11th connect attempt in ten minutes is refused with a clear message", async ({ request, user }) => {
  const headers = { cookie: `next-auth.session-token=${await sessionTokenFor(user)}` };
  const { html } = await getHtml(request, "/connections", headers);
  const form = formWith(html, /Connect a bank/);
  for (let attempt = 1; attempt <= 10; attempt++) {
    const res = await postForm(request, "/connections", form.fields, headers);
    expect(res.status(), `attempt ${attempt}`).toBe(303);
    expect(res.headers().location ?? "").toContain(e2eEnv().TRUELAYER_AUTH_URL ?? "");
  }
  const refused = await postForm(request, "/connections", form.fields, headers);
  expect(refused.status()).toBe(200);
  expect(await refused.text()).toMatch(
    /role="alert"[^>]*>You(&#x27;|')ve started connecting a bank many times in the last few minutes\. Please try again in \d+ minutes?\./,
  );
  const states = await sql(`select count(*)::int as n from "AuthState" where "userId" = $1`, [user.id]);
  expect(states[0]?.n).toBe(10);
});

test("one network asking for too many sign-in links is told to wait", async ({ request }) => {
  const { html } = await getHtml(request, "/signin", {});
  const form = formWith(html, 'name="email"');
  const ip = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
  const post = (email: string) =>
    postForm(
      request,
      "/signin",
      form.fields.map(([n, v]) => [n, n === "email" ? email : v]),
      // The stack trusts one proxy hop (TRUSTED_PROXY_HOPS=1): this is what that proxy would send.
      { "x-forwarded-for": ip },
    );
  for (let i = 0; i < 20; i++) {
    const res = await post(`visitor-${randomBytes(4).toString("hex")}@example.test`);
    expect(res.status(), `request ${i + 1}`).toBe(303);
    expect(res.headers().location).toContain("/signin/check-email");
  }
  const refused = await post(`visitor-${randomBytes(4).toString("hex")}@example.test`);
  expect(refused.status()).toBe(200);
  expect(await refused.text()).toContain(
    "We didn't send a sign-in link. Too many links have been asked for from your network.",
  );
});

test("the sign-in link cannot be used from another site, or by a plain GET", async ({ request }) => {
  const form = { token: "a".repeat(64), email: "someone@example.test", callbackUrl: "/connections" };
  const app = e2eEnv().APP_URL ?? "";
  const post = (headers: Record<string, string>) =>
    request.post("/api/auth/callback/email", { form, headers, maxRedirects: 0 });
  expect((await post({ origin: "https://evil.example" })).status()).toBe(403);
  expect((await post({ "sec-fetch-site": "cross-site" })).status()).toBe(403);
  // An origin it cannot tell is refused too: our own page always sends its origin.
  expect((await post({ origin: "null" })).status()).toBe(403);
  expect((await post({})).status()).toBe(403);
  const get = await request.get(`/api/auth/callback/email?${new URLSearchParams(form)}`, { maxRedirects: 0 });
  expect(get.status()).toBe(405);
  // Our own page's POST still reaches next-auth (which turns the made-up token away itself).
  const own = await request.post("/api/auth/callback/email", {
    form: { ...form, elsewhere: "yes" },
    headers: { origin: app, "sec-fetch-site": "same-origin" },
    maxRedirects: 0,
  });
  expect(own.status()).toBe(302);
  expect(own.headers().location).toContain("/signin/error");
});

test("someone asking again and again for a person's links never keeps that person out (issue 27 item 3)", async ({
  request,
}) => {
  const { html } = await getHtml(request, "/signin", {});
  const form = formWith(html, 'name="email"');
  const local = `owner.${randomBytes(4).toString("hex")}`;
  const owner = `${local}@example.test`;
  const post = (email: string, ip: string) =>
    postForm(
      request,
      "/signin",
      form.fields.map(([n, v]) => [n, n === "email" ? email : v]),
      { "x-forwarded-for": ip },
    );
  const spellings = [
    owner,
    owner.toUpperCase(),
    ` ${owner} `,
    `${local}+a@example.test`,
    owner,
    owner,
    owner,
  ];
  for (const [i, spelling] of spellings.entries()) await post(spelling, `198.51.100.${10 + i}`);
  const mine = await post(owner, "203.0.113.77");
  if (mine.status() === 303) {
    expect(mine.headers().location).toContain("/signin/check-email");
  } else {
    expect(await mine.text()).toContain("still works. Use the newest link in your inbox");
  }
  // Whichever it was, the newest link in that inbox signs its owner in.
  const newest = await latestMailTo(owner);
  const token = new URL(linksIn(newest.text)[0] ?? "http://x").searchParams.get("token") ?? "";
  const signIn = await request.post("/api/auth/callback/email", {
    form: { token, email: owner, callbackUrl: "/connections" },
    headers: { origin: e2eEnv().APP_URL ?? "", "sec-fetch-site": "same-origin" },
    maxRedirects: 0,
  });
  expect(signIn.status()).toBe(302);
  expect(signIn.headers().location ?? "").not.toContain("/signin/error");
});
