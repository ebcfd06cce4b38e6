import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import { seedTokenlessConnection } from "./connect-flow";
import { createUser, expect, sql, type TestUser, test } from "./fixtures";
import { type Field, formWith, getHtml, postForm, type RenderedForm, tamper } from "./forms";
import { seedReconfirmationAtBank, sessionTokenFor } from "./security-fixtures";

// Every server action, posted over plain HTTP the way a browser without JavaScript posts it (the
// form's hidden `$ACTION_…` fields read from the rendered page), with its fields and its action
// fields tampered. Every answer is a redirect, a page with a message, or a 4xx: never a 5xx.
// A bound-state field (`$ACTION_n:1`) that is not React's own encoding would make React throw and
// Next answer a bare 500 before any of our code runs; proxy.ts turns such posts away with a 400
// (lib/security/action-form.ts). The last test pins that down.

const RUNS = 40;

type Target = {
  action: string;
  page: (ids: { connection: string; reconfirmation: string }) => string;
  /** Something only this action's form contains, and the label of the button that submits it. */
  form: string | RegExp;
  button: RegExp;
  fields: string[];
  signedOut?: boolean;
};

const targets: Target[] = [
  {
    action: "requestLink",
    page: () => "/signin",
    form: 'name="email"',
    button: /email me|sign-in link|send/i,
    fields: ["email", "callbackUrl"],
    signedOut: true,
  },
  {
    action: "openReminderLink",
    page: () => `/reminder?token=${"x".repeat(43)}`,
    form: 'name="token"',
    button: /^continue$/i,
    fields: ["token"],
    signedOut: true,
  },
  {
    action: "connect",
    page: () => "/connections",
    form: /Connect a bank/,
    button: /connect a bank/i,
    fields: ["providerId", "connectionId"],
  },
  {
    action: "connect (reconnect)",
    page: (i) => `/connections/cancelled?reconnect=${i.connection}`,
    form: 'name="connectionId"',
    button: /try again/i,
    fields: ["providerId", "connectionId"],
  },
  {
    action: "stopSharing",
    page: (i) => `/connections/${i.connection}/stop`,
    form: 'name="connectionId"',
    button: /^stop sharing$/i,
    fields: ["connectionId"],
  },
  {
    action: "reconfirm",
    page: (i) => `/reconfirm?connection=${i.connection}`,
    form: 'name="copyHash"',
    button: /yes, keep sharing/i,
    fields: ["connectionId", "shownConnectionId", "copyHash"],
  },
  {
    action: "decline",
    page: (i) => `/reconfirm?connection=${i.connection}`,
    form: 'name="copyHash"',
    button: /no, stop sharing/i,
    fields: ["connectionId", "shownConnectionId"],
  },
  {
    action: "continueAtBank",
    page: (i) => `/reconfirm/done?r=${i.reconfirmation}`,
    form: 'name="reconfirmationId"',
    button: /continue to/i,
    fields: ["reconfirmationId", "connectionId"],
  },
  {
    action: "updateName",
    page: () => "/settings",
    form: 'name="name"',
    button: /save name/i,
    fields: ["name", "next"],
  },
  {
    action: "reminderPreference",
    page: () => "/settings",
    form: 'name="remindersEnabled"',
    button: /save email choice/i,
    fields: ["remindersEnabled"],
  },
  {
    action: "signOut",
    page: () => "/settings",
    form: /Sign out/,
    button: /sign out/i,
    fields: ["sessionToken"],
  },
];

const hostile = fc.constantFrom(
  "",
  "' OR '1'='1",
  '"; DROP TABLE "Connection"; --',
  "\r\nSet-Cookie: pwned=1",
  "<script>alert(1)</script>",
  "//evil.example",
  "https://evil.example/x",
  "\u0000",
  "\ud800",
  "\u202e💥",
  "x".repeat(10_000),
  "0".repeat(64),
  "__proto__",
  '{"id":"x","bound":null}',
  "$@1",
  "[{}]",
);
const value = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: "binary", maxLength: 30 }), hostile);
const fieldChange = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  value,
  fc.array(value, { minLength: 2, maxLength: 4 }),
);
const actionChange = fc.constantFrom("keep", "keep", "keep", "direct", "unknown-id", "drop", "bad-ref");

/** The action fields rewritten as a hostile client might: named directly, unknown, dropped, or with junk state. */
function actionFields(fields: Field[], change: string, junk: string): Field[] {
  const isAction = ([name]: Field) => name.startsWith("$ACTION");
  const plain = fields.filter((f) => !isAction(f));
  const meta = fields.find(([name]) => /^\$ACTION_\d+:0$/.test(name));
  const id = meta ? (JSON.parse(meta[1]) as { id: string }).id : undefined;
  switch (change) {
    case "direct":
      return id ? [[`$ACTION_ID_${id}`, ""], ...plain] : fields;
    case "unknown-id":
      return [[`$ACTION_ID_${randomBytes(21).toString("hex")}`, ""], ...plain];
    case "drop":
      return plain;
    case "bad-ref":
      return fields.map(([n, v]) => (/^\$ACTION_\d+:0$/.test(n) ? [n, junk] : [n, v]));
    case "garbage-state":
      return fields.map(([n, v]) => (/^\$ACTION_\d+:1$/.test(n) ? [n, junk] : [n, v]));
    case "empty-state":
      return fields.filter(([n]) => !/^\$ACTION_\d+:[1-9]$/.test(n));
    default:
      return fields;
  }
}

async function renderedForm(
  request: APIRequestContext,
  target: Target,
  path: string,
  headers: Record<string, string>,
) {
  const { status, html } = await getHtml(request, path, headers);
  expect(status, path).toBe(200);
  const form: RenderedForm = formWith(html, target.form);
  const submitter = form.submitters.find((s) => target.button.test(s.label));
  expect(submitter, `${target.action}: a submit button`).toBeDefined();
  return { form, submitter };
}

async function setUp(user: TestUser) {
  const connection = await seedTokenlessConnection(user.id);
  const reconfirmation = await seedReconfirmationAtBank(user.id, connection);
  return { connection, reconfirmation };
}

for (const target of targets) {
  test(`${target.action}: ${RUNS} tampered form posts, never a 5xx`, async ({ request, user }) => {
    const ids = await setUp(user);
    const path = target.page(ids);
    let headers: Record<string, string> = target.signedOut
      ? {}
      : { cookie: `next-auth.session-token=${await sessionTokenFor(user)}` };
    const { form, submitter } = await renderedForm(request, target, path, headers);
    const changes = fc.record({
      fields: fc.record(Object.fromEntries(target.fields.map((f) => [f, fieldChange]))),
      extra: fc.array(fc.tuple(fc.string({ maxLength: 20 }), value), { maxLength: 3 }),
      action: actionChange,
      junk: value,
    });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(changes, async ({ fields, extra, action, junk }) => {
        const edits = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<
          string,
          string | string[] | null
        >;
        const body = [...actionFields(tamper(form.fields, edits), action, junk), ...extra];
        const res = await postForm(request, path, body, headers, action === "keep" ? submitter : undefined);
        statuses.set(res.status(), (statuses.get(res.status()) ?? 0) + 1);
        expect(res.status(), `${target.action} ${action}`).toBeLessThan(500);
        // Sign-out really signs out: give the next run a session again.
        if (target.action === "signOut" && res.status() === 303) {
          headers = { cookie: `next-auth.session-token=${await sessionTokenFor(user)}` };
        }
      }),
      { numRuns: RUNS },
    );
    test.info().annotations.push({ type: "statuses", description: JSON.stringify([...statuses]) });
  });
}

test("a bound state React cannot decode is turned away with a 400 before it reaches React, nothing changed", async ({
  request,
  user,
}) => {
  const headers = { cookie: `next-auth.session-token=${await sessionTokenFor(user)}` };
  const ids = await setUp(user);
  const target = targets.find((t) => t.action === "stopSharing") as Target;
  const path = target.page(ids);
  const { form } = await renderedForm(request, target, path, headers);
  const theirs = await seedTokenlessConnection((await createUser()).id);
  const fields = tamper(form.fields, { connectionId: theirs });
  for (const change of ["garbage-state", "empty-state"]) {
    for (const junk of ["", "zz", '["$@9"]', "x".repeat(10_000)]) {
      const res = await postForm(request, path, actionFields(fields, change, junk), headers);
      expect(res.status()).toBe(400);
      expect(await res.text()).toContain("This form could not be read");
    }
  }
  const [row] = await sql(`select status, version from "Connection" where id = $1`, [theirs]);
  expect(row).toEqual({ status: "ACTIVE", version: 0 });
});
