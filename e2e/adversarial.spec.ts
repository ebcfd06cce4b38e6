import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { connectionsOf } from "./connect-flow";
import { createUser, e2eEnv, expect, sql, test } from "./fixtures";
import { cookieHeader, formWith, getHtml, tamper } from "./forms";
import { mailTo } from "./inbox";
import { crossSiteHeaders, rawRequest, spellingsOf } from "./raw-http";
import { seedLiveConnection } from "./reconfirm-fixtures";
import { sessionTokenFor, unsubscribeTokenFor } from "./security-fixtures";

// Every guard, attacked over HTTP against the production build with generated requests, and judged
// by what happened (cookies set, mail sent, Location, rows written), never by calling the guard.
// For each guarded route: attacks in its canonical spelling and in generated non-canonical ones
// (percent- and double-encoding, dot segments, doubled or trailing slashes, backslashes, case,
// control characters) must all be refused. For each redirect target: generated destinations must
// never lead off the site.

const RUNS = 100;
const app = () => e2eEnv().APP_URL ?? "";
const setCookies = (res: { headers: Record<string, string[]> }) =>
  (res.headers["set-cookie"] ?? []).join("\n");
const location = (res: { headers: Record<string, string[]> }) => res.headers.location?.[0] ?? "";

/**
 * Sends the request; where Next answers a spelling with its own 308 towards the plain path (a
 * trailing slash, a backslash), follows it, so the guard is judged on the request that reaches it.
 */
async function send(request: Parameters<typeof rawRequest>[1]) {
  let res = await rawRequest(app(), request);
  for (let hops = 0; res.status === 308 && hops < 3; hops++) {
    const to = new URL(location(res), app());
    expect(to.origin).toBe(app());
    res = await rawRequest(app(), { ...request, target: `${to.pathname}${to.search}` });
  }
  return res;
}

/** A live sign-in token for `email`, stored as next-auth stores it (sha256 of token and secret). */
async function signInToken(email: string): Promise<string> {
  const token = randomBytes(32).toString("hex");
  const hashed = createHash("sha256").update(`${token}${e2eEnv().AUTH_SECRET}`).digest("hex");
  await sql(
    `insert into "VerificationToken" (identifier, token, expires) values ($1, $2, now() + interval '10 minutes')`,
    [email, hashed],
  );
  return token;
}

const tokenLeft = async (email: string) =>
  (await sql(`select 1 from "VerificationToken" where identifier = $1`, [email])).length;

/** Destinations an attacker would try for a post-sign-in redirect: the known ones, then generated. */
const destination = fc.oneof(
  fc.constantFrom(
    "/.//evil.example/x",
    "//evil.example",
    "/\\evil.example",
    "/%2F%2Fevil.example",
    "https://evil.example/",
  ),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          "/",
          "//",
          "/./",
          "/../",
          ".",
          "..",
          "\\",
          "/\\",
          "%2f",
          "%2F",
          "%5c",
          "%2e",
          "%09",
          "%0a",
        ),
        fc.constantFrom(
          "evil.example",
          "@evil.example",
          "evil.example:443",
          "http:",
          "https:",
          "javascript:",
          "connections",
          "settings",
        ),
        fc.string({ maxLength: 6 }),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((parts) => parts.join("")),
);

function expectOnSite(raw: string, context: string) {
  expect(raw.startsWith("//") || raw.startsWith("/\\"), `${context}: ${raw}`).toBe(false);
  expect(new URL(raw, app()).origin, `${context}: ${raw}`).toBe(app());
}

test.describe.configure({ timeout: 180_000 });

test("login CSRF: a sign-in link sent from another site, or down any spelling of the path, signs no one in", async () => {
  const email = `attacker-${randomBytes(4).toString("hex")}@example.test`;
  const canonical = "/api/auth/callback/email";
  const target = fc.oneof(fc.constant({ tricks: [] as string[], target: canonical }), spellingsOf(canonical));
  await fc.assert(
    fc.asyncProperty(target, crossSiteHeaders, fc.boolean(), async ({ target: path }, headers, inQuery) => {
      const token = await signInToken(email);
      const fields = new URLSearchParams({ token, email, callbackUrl: "/connections" }).toString();
      for (const method of ["POST", "GET"]) {
        const res = await send({
          method,
          target: inQuery || method === "GET" ? `${path}?${fields}` : path,
          headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
          body: method === "POST" && !inQuery ? fields : undefined,
        });
        expect(setCookies(res), `${method} ${path}`).not.toMatch(/session-token=[^;]/);
        expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(300);
      }
      expect(await tokenLeft(email)).toBeGreaterThan(0);
    }),
    { numRuns: RUNS },
  );
  // The control: our own page's POST, canonical, does sign in.
  const token = await signInToken(email);
  const own = await rawRequest(app(), {
    method: "POST",
    target: canonical,
    headers: {
      "Sec-Fetch-Site": "same-origin",
      Origin: app(),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ token, email, callbackUrl: "/connections", elsewhere: "yes" }).toString(),
  });
  expect(setCookies(own)).toMatch(/session-token=[^;]/);
});

test("open redirect: after sign-in, the welcome page and the name form only ever lead to our own pages", async ({
  request,
}) => {
  const named = await createUser();
  const signedIn = cookieHeader(await sessionTokenFor(named));
  const nameless = await createUser({ name: null });
  const namelessCookie = cookieHeader(await sessionTokenFor(nameless));
  const { html } = await getHtml(request, "/welcome?callbackUrl=%2Fsettings", namelessCookie);
  const nameForm = formWith(html, 'name="name"');
  await fc.assert(
    fc.asyncProperty(destination, async (raw) => {
      const q = encodeURIComponent(raw);
      for (const path of [`/signin?callbackUrl=${q}`, `/welcome?callbackUrl=${q}`]) {
        const res = await rawRequest(app(), {
          method: "GET",
          target: path,
          headers: { Cookie: signedIn.cookie ?? "" },
        });
        if (res.status >= 300 && res.status < 400) expectOnSite(location(res), path);
      }
      // The name form's `next`, posted by hand as a script would.
      await sql(`update "User" set name = null where id = $1`, [nameless.id]);
      const body = new FormData();
      for (const [name, value] of tamper(nameForm.fields, { name: "Robin Example", next: raw }))
        body.append(name, value);
      const posted = await request.post("/welcome", {
        multipart: body,
        headers: { ...namelessCookie, origin: app() },
        maxRedirects: 0,
      });
      const to = posted.headers().location;
      if (to) expectOnSite(to, `name form next=${raw}`);
      // And after a real sign-in, where next-auth redirects.
      const email = `redirect-${randomBytes(4).toString("hex")}@example.test`;
      const token = await signInToken(email);
      const signIn = await rawRequest(app(), {
        method: "POST",
        target: "/api/auth/callback/email",
        headers: {
          "Sec-Fetch-Site": "same-origin",
          Origin: app(),
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ token, email, callbackUrl: raw, elsewhere: "yes" }).toString(),
      });
      expectOnSite(location(signIn), `sign-in callbackUrl=${raw}`);
    }),
    { numRuns: RUNS },
  );
});

test("next-auth's own routes are not served, in any spelling: no mail, no session, no CSRF token", async () => {
  const victim = `victim-${randomBytes(4).toString("hex")}@example.test`;
  const routes = [
    "/api/auth/signin/email",
    "/api/auth/csrf",
    "/api/auth/session",
    "/api/auth/signout",
    "/api/auth/providers",
    "/api/auth/signin",
  ];
  const target = fc.oneof(
    fc.constantFrom(...routes).map((p) => ({ target: p })),
    fc.constantFrom(...routes).chain(spellingsOf),
  );
  await fc.assert(
    fc.asyncProperty(target, fc.constantFrom("GET", "POST"), async ({ target: path }, method) => {
      const res = await send({
        method,
        target: path,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body:
          method === "POST"
            ? new URLSearchParams({ email: `x, ${victim}`, csrfToken: "x" }).toString()
            : undefined,
      });
      expect([400, 403, 404, 405], `${method} ${path}`).toContain(res.status);
      expect(res.body).not.toContain("csrfToken");
      expect(setCookies(res)).not.toMatch(/session-token=[^;]|csrf-token/);
    }),
    { numRuns: RUNS },
  );
  expect(await mailTo(victim)).toEqual([]);
});

test("server actions: a post another site sends, down any spelling of the page, changes nothing", async ({
  request,
  user,
}) => {
  const token = await sessionTokenFor(user);
  const { id } = await seedLiveConnection(user.id, { password: "eternal" });
  const { html } = await getHtml(request, `/connections/${id}/stop`, cookieHeader(token));
  const form = formWith(html, 'name="connectionId"');
  const boundary = "----adversarial";
  const body = [
    ...form.fields.map(
      ([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`,
    ),
    `--${boundary}--\r\n`,
  ].join("");
  const canonical = `/connections/${id}/stop`;
  const attacker = crossSiteHeaders.filter(
    (h) =>
      h["Sec-Fetch-Site"] === "cross-site" || (h.Origin !== undefined && h["Sec-Fetch-Site"] === undefined),
  );
  const target = fc.oneof(fc.constant({ target: canonical }), spellingsOf(canonical));
  await fc.assert(
    fc.asyncProperty(target, attacker, async ({ target: path }, headers) => {
      const res = await send({
        method: "POST",
        target: path,
        headers: {
          ...headers,
          Cookie: `next-auth.session-token=${token}`,
          "Content-Type": `multipart/form-data; boundary=${boundary}`,
        },
        body,
      });
      expect(res.status, path).not.toBe(303);
    }),
    { numRuns: RUNS },
  );
  expect((await connectionsOf(user.id)).map((c) => [c.status, Boolean(c.refreshTokenSealed)])).toEqual([
    ["ACTIVE", true],
  ]);
});

test("the cron job and the unsubscribe link: no spelling of the path stands in for the secret", async ({
  user,
}) => {
  const [, mySignature] = unsubscribeTokenFor(user.id).split(".");
  const other = await createUser();
  const forged = `${Buffer.from(other.id).toString("base64url")}.${mySignature}`;
  const reminders = async () => (await sql(`select count(*)::int as n from "Reminder"`))[0]?.n;
  const before = await reminders();
  const target = fc.oneof(
    fc.constantFrom("/api/cron/reminders", "/unsubscribe").map((p) => ({ target: p })),
    fc.constantFrom("/api/cron/reminders", "/unsubscribe").chain(spellingsOf),
  );
  await fc.assert(
    fc.asyncProperty(target, fc.constantFrom("GET", "POST"), async ({ target: path }, method) => {
      const res = await send({
        method,
        target: path.includes("unsubscribe") ? `${path}?token=${encodeURIComponent(forged)}` : path,
        headers: { Authorization: "Bearer not-the-secret" },
      });
      expect([400, 401, 404, 405, 503], `${method} ${path}`).toContain(res.status);
    }),
    { numRuns: RUNS },
  );
  expect(await reminders()).toBe(before);
  expect(
    (await sql(`select "remindersEnabled" from "User" where id = $1`, [other.id]))[0]?.remindersEnabled,
  ).toBe(true);
});
