import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { type BrowserContext, test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { type Fault, sandboxControls } from "../sandbox/client/controls";

/** The stack's environment, published by e2e/global-setup.ts. */
export function e2eEnv(): Record<string, string> {
  const raw = process.env.E2E_ENV;
  if (!raw) throw new Error("E2E_ENV is not set: run the specs through `npx playwright test`.");
  return JSON.parse(raw) as Record<string, string>;
}

// Fixtures seed through the app's own store and the test kit, which read the app's environment:
// the same one the stack's server runs with.
if (process.env.E2E_ENV) Object.assign(process.env, e2eEnv());

/** The app's client at the simulator: its controls, and where seeded connections come from. */
export function appSandbox() {
  const env = e2eEnv();
  return {
    sandboxUrl: must(env.TRUELAYER_API_URL),
    clientId: must(env.TRUELAYER_CLIENT_ID),
    redirectUri: `${must(env.APP_URL)}/callback`,
    controls: sandboxControls(must(env.TRUELAYER_API_URL), must(env.TRUELAYER_CLIENT_ID)),
  };
}

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
) {
  const client = new pg.Client({ connectionString: e2eEnv().DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The page's own alert: Next's route announcer is a role=alert region too. */
export function pageAlert(page: Page) {
  return page.getByRole("alert").and(page.locator(":not(#__next-route-announcer__)"));
}

export type TestUser = { id: string; email: string; name: string | null };

/** A user straight in the database (no clicking through sign-in), optionally signed in on `context`. */
export async function createUser(options: { name?: string | null; email?: string } = {}): Promise<TestUser> {
  const id = `u_${randomUUID()}`;
  const email = options.email ?? `user-${randomBytes(4).toString("hex")}@example.test`;
  const name = options.name === undefined ? "Jamie Example" : options.name;
  await sql(
    `insert into "User" (id, email, name, "emailVerified", "updatedAt") values ($1, $2, $3, now(), now())`,
    [id, email, name],
  );
  return { id, email, name };
}

export async function signIn(context: BrowserContext, user: TestUser): Promise<void> {
  const token = randomBytes(32).toString("hex");
  await sql(
    `insert into "Session" (id, "sessionToken", "userId", expires) values ($1, $2, $3, now() + interval '1 day')`,
    [`s_${randomUUID()}`, token, user.id],
  );
  await context.addCookies([
    { name: "next-auth.session-token", value: token, url: e2eEnv().APP_URL, httpOnly: true, sameSite: "Lax" },
  ]);
}

function must(value: string | undefined): string {
  if (!value) throw new Error("The e2e environment is incomplete.");
  return value;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Moves both clocks (the app's and the simulator's for the app's client) forward. The spec run uses
 * one worker, so a moved clock cannot disturb another test; the fixture puts both back afterwards.
 */
/** A session that signed in `minutesAgo` and was used a moment ago (well within the idle timeout): step-up tests. */
export async function olderSession(
  context: BrowserContext,
  user: TestUser,
  minutesAgo: number,
): Promise<string> {
  const token = randomBytes(32).toString("hex");
  await sql(
    `insert into "Session" (id, "sessionToken", "userId", expires, "createdAt", "lastSeenAt")
     values ($1, $2, $3, now() + interval '6 hours', now() - make_interval(mins => $4), now())`,
    [`s_${randomUUID()}`, token, user.id, minutesAgo],
  );
  await context.addCookies([
    { name: "next-auth.session-token", value: token, url: e2eEnv().APP_URL, httpOnly: true, sameSite: "Lax" },
  ]);
  return token;
}

export async function moveClocks(days: number): Promise<void> {
  writeFileSync(must(e2eEnv().CLOCK_FILE), JSON.stringify({ offsetMs: days * DAY_MS }));
  await appSandbox().controls.setClock(days);
}

/** Sets the simulator to fail the next calls of one endpoint for the app's client. */
export async function injectFault(fault: Fault) {
  await appSandbox().controls.injectFault(fault);
}

type Fixtures = { user: TestUser; signedIn: TestUser; keepRenderedPage: undefined; resetClocks: undefined };

export const test = base.extend<Fixtures>({
  // Every test is a network of its own, as the stack's one trusted proxy hop would report it: the per-network
  // sign-in budget (20 links an hour) is then never shared between tests, whatever order they run in.
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use) => {
    const network = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
    await use({ ...extraHTTPHeaders, "x-forwarded-for": network });
  },
  // A fresh user of their own for every test.
  user: async ({}, use) => {
    await use(await createUser());
  },
  // Keeps the last page each test saw, for the secret scan that runs after the suite.
  keepRenderedPage: [
    async ({ page }, use, testInfo) => {
      await use(undefined);
      const dir = process.env.E2E_ARTIFACTS;
      if (!dir || page.isClosed()) return;
      const html = await page.content().catch(() => "");
      writeFileSync(path.join(dir, "html", `${testInfo.testId}.html`), html);
    },
    { auto: true },
  ],
  // Puts both clocks back after every test, in every spec file.
  resetClocks: [
    async ({}, use) => {
      await use(undefined);
      await moveClocks(0);
    },
    { auto: true },
  ],
  // The same user, signed in on this test's browser context.
  signedIn: async ({ context, user }, use) => {
    await signIn(context, user);
    await use(user);
  },
});

export { expect };
