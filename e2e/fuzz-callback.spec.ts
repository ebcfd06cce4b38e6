import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { createAuthState } from "../lib/connections/store/exchanges";
import { e2eEnv, expect, sql, test } from "./fixtures";
import { seedLiveConnection } from "./reconfirm-fixtures";
import { seedReconfirmationAtBank, sessionTokenFor } from "./security-fixtures";

// /callback is a public GET anyone can aim anything at. 1,000 hostile queries over HTTP: each answer
// is a redirect to one of our pages or a 4xx, never a 5xx, and no connection, account, reconfirmation,
// event or token changes.

const RUNS = 1_000;

async function tablesDigest(): Promise<string> {
  const [row] = await sql(`select
      (select count(*) from "Connection") as connections,
      (select count(*) from "BankAccount") as accounts,
      (select count(*) from "Reconfirmation") as reconfirmations,
      (select count(*) from "ConnectionEvent") as events,
      (select md5(coalesce(string_agg(id || ':' || coalesce("accessTokenSealed", '-') || ':' ||
         coalesce("refreshTokenSealed", '-') || ':' || status || ':' || "consentExpiresAt"::text || ':' || version, ','
         order by id), '')) from "Connection") as tokens`);
  return JSON.stringify(row);
}

const hostile = [
  "' OR '1'='1",
  '"; DROP TABLE "Connection"; --',
  "1; select pg_sleep(5)--",
  "\r\nSet-Cookie: pwned=1",
  "\nLocation: https://evil.example",
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "../../../../etc/passwd",
  "$" + "{7*7}{{7*7}}",
  "\u0000",
  "\u202e\u2066💥𝕏\ud800",
  "https://evil.example/callback",
  "access_denied",
  "invalid_request",
];
const rawPieces = [
  "code=",
  "state=",
  "error=",
  "&",
  "=",
  "%",
  "%zz",
  "%0A",
  "%0D%0A",
  "%00",
  "%FF",
  "%C0%AE",
  "+",
  ";",
  "a",
  "%E2%80%AE",
  "code",
  "[]=",
];

test("1,000 hostile /callback queries: never a 5xx, nothing changes", async ({ request, user }) => {
  test.setTimeout(120_000);
  const live = await seedLiveConnection(user.id, { password: "eternal" });
  await seedReconfirmationAtBank(user.id, live.id);
  // A real, open state of this user: fuzzed codes may arrive with it (a failed exchange stores nothing).
  const realState = randomBytes(32).toString("base64url");
  await createAuthState({
    stateHash: createHash("sha256").update(realState).digest("hex"),
    userId: user.id,
    purpose: "CONNECT",
    connectionIds: [],
    codeVerifierSealed: null,
    redirectUri: `${e2eEnv().APP_URL}/callback`,
    expiresAt: new Date(Date.now() + 60 * 60_000),
  });
  const session = `next-auth.session-token=${await sessionTokenFor(user)}`;
  const before = await tablesDigest();

  const value = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.constantFrom(...hostile, realState, live.id),
    fc.constantFrom("A".repeat(10_000), "é".repeat(5_000), "%".repeat(3_000), "state=".repeat(1_500)),
  );
  const name = fc.constantFrom("code", "state", "error", "error_description", "code[]", "CODE", "scope", "");
  const encoded = fc
    .array(fc.tuple(name, value), { maxLength: 6 })
    .map((pairs) => new URLSearchParams(pairs).toString());
  const raw = fc.array(fc.constantFrom(...rawPieces), { maxLength: 12 }).map((parts) => parts.join(""));
  const query = fc.record({ query: fc.oneof(encoded, raw), signedIn: fc.boolean() });

  const origin = e2eEnv().APP_URL ?? "";
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(query, async ({ query: q, signedIn }) => {
      const res = await request.get(`/callback?${q}`, {
        headers: signedIn ? { cookie: session } : {},
        maxRedirects: 0,
      });
      const status = res.status();
      seen.set(status, (seen.get(status) ?? 0) + 1);
      expect(status).toBeLessThan(500);
      if (status >= 300 && status < 400) {
        const location = new URL(res.headers().location ?? "", origin);
        expect(location.origin).toBe(origin);
        expect(location.pathname).toMatch(/^\/(connections|reconfirm)\//);
      } else expect(status).toBeGreaterThanOrEqual(400);
    }),
    { numRuns: RUNS },
  );
  expect([...seen.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS);
  expect(await tablesDigest()).toBe(before);
});
