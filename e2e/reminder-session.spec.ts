import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { seedBareConnection, seedCodeExchange, setSeededConnection } from "../kit";
import { createReminderLink, openReminderLink } from "../lib/auth/reminder-link";
import { now } from "../lib/clock";
import { createUser, e2eEnv, expect, sql, type TestUser, test } from "./fixtures";
import { type Field, postForm } from "./forms";
import { seedLiveConnection } from "./reconfirm-fixtures";
import { seedReconfirmationAtBank, snapshotOf } from "./security-fixtures";

// A reminder link's session (docs/decisions/028-reminder-link.md) walks every page and route under app/
// and every server action in the build: each answers exactly as it does signed out, except the
// reconfirmation pages and actions for the one bank the mail named. The user is an operator, so the
// operator pages would open for a real session.

type World = {
  user: TestUser;
  named: string;
  other: string;
  namedRecord: string;
  otherRecord: string;
  namedExchange: string;
  otherExchange: string;
  cookie: string;
};

async function seedWorld(): Promise<World> {
  const user = await createUser({ name: "Rem Inder" });
  await sql(`update "User" set role = 'OPERATOR' where id = $1`, [user.id]);
  const { id: named } = await seedLiveConnection(user.id, { password: "eternal" });
  const soon = new Date(Date.now() + 5 * 86_400_000);
  await setSeededConnection(named, { consentExpiresAt: soon });
  const other = await seedBareConnection(user.id, {
    providerId: "uk-ob-other",
    providerName: "Other Bank",
    consentCreatedAt: new Date(Date.now() - 86 * 86_400_000),
    consentExpiresAt: new Date(Date.now() + 4 * 86_400_000),
  });
  const otherRecord = await seedReconfirmationAtBank(user.id, other);
  const namedRecord = await seedReconfirmationAtBank(user.id, named);
  const completed = { flow: "extend", status: "completed" } as const;
  const namedExchange = await seedCodeExchange(user.id, completed, named);
  const otherExchange = await seedCodeExchange(user.id, completed, other);
  const link = await createReminderLink(user.id, [{ connectionId: named, consentExpiresAt: soon }], now());
  const session = link ? await openReminderLink(link, now()) : null;
  if (!session) throw new Error("no reminder session");
  const cookie = `reconsent.reminder-session=${session}`;
  return { user, named, other, namedRecord, otherRecord, namedExchange, otherExchange, cookie };
}

/** Every page and route handler under app/, as its URL pattern (route groups dropped). */
function appRoutes(): { route: string; kind: "page" | "route" }[] {
  const out: { route: string; kind: "page" | "route" }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith("_") && entry.name !== "bench") walk(full);
      } else if (/^(page|route)\.tsx?$/.test(entry.name)) {
        const segments = path
          .relative("app", dir)
          .split(path.sep)
          .filter((s) => s && !/^\(.*\)$/.test(s));
        out.push({ route: `/${segments.join("/")}`, kind: entry.name.startsWith("page") ? "page" : "route" });
      }
    }
  };
  walk("app");
  return out;
}

const today = new Date().toISOString().slice(0, 10);

/** Where a route needs ids or a query, the addresses to try; the other bank's ids wherever one is taken. */
const ADDRESSES: Record<string, (w: World) => string[]> = {
  "/connections/[id]/stop": (w) => [`/connections/${w.other}/stop`],
  // History is the dashboard's, not the reminder's: closed for the named bank too.
  "/connections/[id]/history": (w) => [`/connections/${w.other}/history`, `/connections/${w.named}/history`],
  "/connections/result/[exchangeId]": (w) => [
    `/connections/result/${w.otherExchange}`,
    `/connections/result/${w.namedExchange}`,
  ],
  "/connections/cancelled": (w) => ["/connections/cancelled", `/connections/cancelled?reconnect=${w.named}`],
  "/connections/finish": (w) => ["/connections/finish", `/connections/finish?exchange=${w.namedExchange}`],
  "/reconfirm": (w) => [`/reconfirm?connection=${w.other}`, `/reconfirm?stopped=${w.other}`],
  "/reconfirm/done": (w) => ["/reconfirm/done", `/reconfirm/done?r=${w.otherRecord}`],
  "/reconfirm/declined": (w) => [
    "/reconfirm/declined",
    `/reconfirm/declined?c=${w.other}`,
    `/reconfirm/declined?c=${w.named}&c=${w.other}`,
  ],
  "/reconfirm/progress": (w) => [`/reconfirm/progress?exchange=${w.otherExchange}`],
  "/operator/audit/export": () => [`/operator/audit/export?from=${today}&to=${today}`],
  "/settings/data/download": () => ["/settings/data/download"],
};

/** What the session may open: the named bank's screens, and nothing of the other bank. */
const OPEN: ((w: World) => string)[] = [
  () => "/reconfirm",
  () => "/reconfirm?src=reminder",
  () => "/reconfirm?src=reminder&later=1",
  (w) => `/reconfirm?connection=${w.named}`,
  (w) => `/reconfirm/done?r=${w.namedRecord}`,
  (w) => `/reconfirm/declined?c=${w.named}`,
  (w) => `/connections/${w.named}/stop`,
  (w) => `/reconfirm/progress?exchange=${w.namedExchange}`,
];

async function answer(res: APIResponse) {
  const location = res.headers().location;
  return {
    status: res.status(),
    location: location ? new URL(location, e2eEnv().APP_URL).pathname : undefined,
    signInReturn: location ? new URL(location, e2eEnv().APP_URL).searchParams.get("callbackUrl") : null,
  };
}

async function expectSignedOut(res: APIResponse, signedOut: APIResponse, w: World, what: string) {
  expect(await answer(res), what).toEqual(await answer(signedOut));
  const body = await res.text();
  for (const secret of [w.user.email, "Rem Inder", "Other Bank", "Mock UK Bank"])
    expect(body, `${what} shows ${secret}`).not.toContain(secret);
}

let world: World;
let before: string;
test.beforeEach(async () => {
  world = await seedWorld();
  before = await snapshotOf(world.user.id);
});

test("every page and route treats a reminder session as signed out, but the named bank's screens", async ({
  request,
}) => {
  const w = world;
  const routes = appRoutes();
  expect(routes.length).toBeGreaterThan(20);
  const withSession = { cookie: w.cookie };
  const origin = { origin: e2eEnv().APP_URL ?? "" };
  const get = (r: APIRequestContext, p: string, headers: Record<string, string>) =>
    r.get(p, { headers, maxRedirects: 0 });
  for (const { route, kind } of routes) {
    const addresses = ADDRESSES[route]?.(w) ?? [route];
    for (const address of addresses) {
      expect(address, `${route} needs an entry in ADDRESSES`).not.toMatch(/\[/);
      await expectSignedOut(
        await get(request, address, withSession),
        await get(request, address, {}),
        w,
        address,
      );
      if (kind === "route" && address !== "/callback") {
        const post = (headers: Record<string, string>) =>
          request.post(address, { headers: { ...headers, ...origin }, form: {}, maxRedirects: 0 });
        await expectSignedOut(await post(withSession), await post({}), w, `POST ${address}`);
      }
    }
  }
  expect((await snapshotOf(w.user.id)) === before, "nothing of the user's changed").toBe(true);
  // The screens it may open (these count funnel steps, so they come after the snapshot).
  for (const open of OPEN) {
    const address = open(w);
    const res = await get(request, address, withSession);
    expect(res.status(), address).toBe(200);
    const body = await res.text();
    expect(body, address).not.toContain("Other Bank");
    expect(body, address).not.toContain(w.user.email);
    expect((await get(request, address, {})).status(), `${address} signed out`).toBe(307);
  }
  expect(await get(request, "/reconfirm", withSession).then((r) => r.text())).toContain("Mock UK Bank");
});

type Built = { filename: string; exportedName: string; workers: Record<string, unknown> };

/** Every server action the build holds, each also found among lib/**\/actions/ exports. */
function builtActions(): (Built & { id: string })[] {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, Built>;
  };
  return Object.entries(manifest.node).map(([id, action]) => ({ id, ...action }));
}

function sourceActions(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (
        path.basename(dir) === "actions" &&
        /\.ts$/.test(entry.name) &&
        !entry.name.endsWith(".test.ts")
      ) {
        const text = readFileSync(full, "utf8");
        if (!text.startsWith('"use server"')) continue;
        for (const [, name] of text.matchAll(/export (?:const|async function) (\w+)/g))
          out.push(`${full}#${name}`);
      }
    }
  };
  walk("lib");
  return out.sort();
}

// Public by nature: they are the same for everyone, signed in or not.
const PUBLIC = new Set(["requestLinkAction", "openReminderLinkAction"]);
// Open to a reminder session for the named bank only.
const SCOPED = new Set([
  "reconfirmAction",
  "declineAction",
  "confirmDeclineAction",
  "stopSharingAction",
  "continueAtBankAction",
]);

function pageOf(worker: string, w: World): string {
  const route = `/${worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .join("/")}`;
  return route.replace("[id]", w.other).replace("[exchangeId]", w.otherExchange);
}

test("every server action treats a reminder session as signed out, but for the named bank", async ({
  request,
}) => {
  const w = world;
  const actions = builtActions();
  expect(actions.map((a) => `${a.filename}#${a.exportedName}`).sort()).toEqual(sourceActions());
  const fieldsFor = (id: string, connection: string): Field[] => [
    [`$ACTION_ID_${id}`, ""],
    ["connectionId", connection],
    ["shownConnectionId", connection],
    ["copyHash", "0".repeat(64)],
    ["reconfirmationId", connection === w.named ? w.namedRecord : w.otherRecord],
    ["exchange", w.namedExchange],
    ["providerId", "uk-ob-other"],
    ["name", "Ann Attacker"],
    ["remindersEnabled", "off"],
    ["confirm", w.user.email],
    ["email", w.user.email],
  ];
  for (const action of actions) {
    if (PUBLIC.has(action.exportedName) || action.exportedName === "signOutAction") continue;
    const page = pageOf(Object.keys(action.workers)[0] ?? "", w);
    const body = fieldsFor(action.id, w.other);
    const what = `${action.exportedName} at ${page}`;
    await expectSignedOut(
      await postForm(request, page, body, { cookie: w.cookie }),
      await postForm(request, page, body, {}),
      w,
      what,
    );
    expect((await snapshotOf(w.user.id)) === before, `${what} changed nothing`).toBe(true);
  }
  // The same posts for the named bank are let through (checked after the snapshot: they may change it).
  const order = [
    "reconfirmAction",
    "continueAtBankAction",
    "declineAction",
    "confirmDeclineAction",
    "stopSharingAction",
  ];
  expect(new Set(order)).toEqual(SCOPED);
  for (const name of order) {
    const action = actions.find((a) => a.exportedName === name);
    if (!action) throw new Error(`${name} is not in the build`);
    const page = pageOf(Object.keys(action.workers)[0] ?? "", w).replace(w.other, w.named);
    const res = await postForm(request, page, fieldsFor(action.id, w.named), { cookie: w.cookie });
    expect((await answer(res)).location ?? "", name).not.toBe("/signin");
    expect(res.status(), name).toBeLessThan(500);
  }
  const signOut = actions.find((a) => a.exportedName === "signOutAction");
  if (!signOut) throw new Error("signOutAction is not in the build");
  const signOutPage = pageOf(Object.keys(signOut.workers)[0] ?? "", w);
  const signOutBody = fieldsFor(signOut.id, w.named);
  await expectSignedOut(
    await postForm(request, signOutPage, signOutBody, { cookie: w.cookie }),
    await postForm(request, signOutPage, signOutBody, {}),
    w,
    "signOutAction",
  );
  // Sign-out also ends the reminder session.
  expect((await request.get("/reconfirm", { headers: { cookie: w.cookie }, maxRedirects: 0 })).status()).toBe(
    307,
  );
});

test("the scoped actions work for the named bank: stop sharing it", async ({ request }) => {
  const w = world;
  const stop = builtActions().find((a) => a.exportedName === "stopSharingAction");
  if (!stop) throw new Error("stopSharingAction is not in the build");
  const res = await postForm(
    request,
    `/connections/${w.named}/stop`,
    [
      [`$ACTION_ID_${stop.id}`, ""],
      ["connectionId", w.named],
    ],
    { cookie: w.cookie },
  );
  expect(res.status()).toBe(303);
  // No dashboard for this session: its stop page says what happened.
  const location = res.headers().location ?? "";
  expect(new URL(location, e2eEnv().APP_URL).pathname).toBe(`/connections/${w.named}/stop`);
  const shown = await request.get(location, { headers: { cookie: w.cookie }, maxRedirects: 0 });
  expect(shown.status()).toBe(200);
  expect((await shown.text()).replaceAll("<!-- -->", "")).toContain(
    "stopped sharing data from Mock UK Bank.",
  );
  const rows = await sql<{ id: string; status: string }>(
    `select id, status from "Connection" where "userId" = $1`,
    [w.user.id],
  );
  expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
    [w.named]: "REVOKED",
    [w.other]: "ACTIVE",
  });
});
