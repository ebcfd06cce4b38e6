import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TestMailbox } from "@/inbox/test-mailbox";
import { sandboxControls, setSeededConnection } from "@/kit";
import { now } from "@/lib/clock";
import { keepTokensAlive } from "@/lib/connections/custody";
import { db } from "@/lib/db";
import { refreshTokenWorks, storedState, upstreamSettled } from "@/test/checks";
import { createTestConnection, createTestUser } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { runScheduledJob } from "./scheduled";

// A day's work (docs/decisions/061-a-days-work.md).

const DAY = 86_400_000;
const mailbox = new TestMailbox();
const made: string[] = [];
let tl: Integration;
beforeAll(async () => {
  await mailbox.start();
  tl = await startIntegration();
  process.env.SMTP_URL = mailbox.url;
});
afterEach(async () => {
  vi.restoreAllMocks();
  mailbox.clear();
  await sandboxControls(tl.sandboxUrl, tl.clientId).clearFaults();
  // Each test judges only its own rows: earlier ones are stopped, so no later run picks them.
  for (const id of made.splice(0)) await setSeededConnection(id, { status: "REVOKED" });
});
afterAll(async () => {
  await mailbox.stop();
  await tl?.close();
});

const ago = (ms: number) => new Date(now().getTime() - ms);
const refreshCalls = async () =>
  (await sandboxControls(tl.sandboxUrl, tl.clientId).calls()).filter(
    (c) =>
      c.path.endsWith("/connect/token") &&
      (c.body as { grant_type?: string })?.grant_type === "refresh_token",
  ).length;
const unattendedBalanceCalls = async (credentialsId: string | null) =>
  (await sandboxControls(tl.sandboxUrl, tl.clientId).calls()).filter(
    (c) => c.path.endsWith("/balance") && c.credentialsId === credentialsId && !c.psuIp,
  ).length;

/** A live connection whose refresh token was last used `days` ago (its last access token expired then). */
async function unusedFor(days: number, userId?: string) {
  const owner = userId ?? (await createTestUser()).id;
  const conn = await createTestConnection(tl, owner, "eternal");
  made.push(conn.id);
  await setSeededConnection(conn.id, { accessTokenExpiresAt: ago(days * DAY) });
  return storedState(conn.id);
}

async function seen(userId: string) {
  await db().session.create({
    data: { sessionToken: randomUUID(), userId, expires: new Date(now().getTime() + DAY) },
  });
}

describe("keep-alive refreshes", () => {
  it("refresh exactly the live connections unused for 25 days, never a lapsed, paused-at-bank or fresh one", async () => {
    const due = await unusedFor(26);
    const fresh = await unusedFor(24);
    const lapsed = await unusedFor(26);
    await setSeededConnection(lapsed.id, { consentExpiresAt: ago(60_000) });
    const needsBank = await unusedFor(26);
    await setSeededConnection(needsBank.id, { status: "NEEDS_BANK_AUTH" });
    const before = await refreshCalls();

    const summary = await keepTokensAlive({ deadline: Date.now() + 30_000 });

    expect(summary).toMatchObject({ refreshed: 1, failed: 0, finished: true });
    expect(await refreshCalls()).toBe(before + 1);
    const after = await storedState(due.id);
    expect(after.refreshToken).not.toBe(due.refreshToken);
    expect(after.accessTokenExpiresAt?.getTime()).toBeGreaterThan(now().getTime());
    for (const untouched of [fresh, lapsed, needsBank]) {
      const row = await storedState(untouched.id);
      expect(row.refreshTokenSealed).toBe(untouched.refreshTokenSealed);
      expect(row.accessTokenExpiresAt).toEqual(untouched.accessTokenExpiresAt);
    }
    expect(await refreshTokenWorks(after.refreshToken)).toBe("works");
  });

  it("replaces a refresh token only in the statement that stores its successor; a lost or failed answer keeps it", async () => {
    const conn = await unusedFor(27);
    const statements: { text: string; values: unknown[] }[] = [];
    const query = pg.Pool.prototype.query;
    vi.spyOn(pg.Pool.prototype, "query").mockImplementation(function (this: pg.Pool, ...args: unknown[]) {
      const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      const text = typeof first === "string" ? first : first.text;
      const values = (typeof first === "string" ? second : first.values) ?? [];
      statements.push({ text, values });
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
    const controls = sandboxControls(tl.sandboxUrl, tl.clientId);

    await controls.injectFault({ endpoint: "token", kind: "500" });
    await keepTokensAlive({ deadline: Date.now() + 30_000 });
    expect((await storedState(conn.id)).refreshTokenSealed).toBe(conn.refreshTokenSealed);
    expect(statements.filter((s) => /"refreshTokenSealed" =/.test(s.text))).toEqual([]);

    await keepTokensAlive({ deadline: Date.now() + 30_000 });
    const renewed = await storedState(conn.id);
    expect(renewed.refreshTokenSealed).not.toBe(conn.refreshTokenSealed);
    const writes = statements.filter((s) => /"refreshTokenSealed" =/.test(s.text));
    expect(writes).toHaveLength(1);
    expect(writes[0]?.values).toContain(renewed.refreshTokenSealed);
    expect(writes[0]?.values).toContain(renewed.accessTokenSealed);

    // An answer that never arrived: the token may be spent, but nothing replaced it, so it stays, marked unanswered.
    const lost = await unusedFor(27);
    await controls.injectFault({ endpoint: "token", kind: "lost_response" });
    await keepTokensAlive({ deadline: Date.now() + 30_000 });
    const kept = await storedState(lost.id);
    expect(kept.refreshTokenSealed).toBe(lost.refreshTokenSealed);
    expect(kept.outcomeUnknownAt).not.toBeNull();
    expect(statements.filter((s) => /"refreshTokenSealed" =/.test(s.text))).toHaveLength(1);
  });
});

describe("the scheduled job", () => {
  it("4 runs at once: each reminder mailed, each token kept alive and each due read made exactly once", async () => {
    const keepAlive = await Promise.all(Array.from({ length: 16 }, (_, i) => unusedFor(26 + (i % 3))));
    const readers = await Promise.all(
      [0, 1, 2].map(async () => {
        const user = await createTestUser();
        await seen(user.id);
        const conn = await createTestConnection(tl, user.id, "eternal");
        made.push(conn.id);
        return { user, conn };
      }),
    );
    const reminded = await Promise.all(
      [0, 1, 2].map(async () => {
        const user = await createTestUser();
        const conn = await createTestConnection(tl, user.id, "eternal");
        made.push(conn.id);
        await setSeededConnection(conn.id, { consentExpiresAt: new Date(now().getTime() + 13 * DAY) });
        return user;
      }),
    );
    const accounts = async (connectionId: string) => db().bankAccount.count({ where: { connectionId } });
    const refreshesBefore = await refreshCalls();
    // Slow refreshes and staggered starts: later runs list connections that earlier ones refresh meanwhile.
    await sandboxControls(tl.sandboxUrl, tl.clientId).injectFault({
      endpoint: "token",
      kind: "delay",
      ms: 200,
      count: 16,
    });

    const runs = await Promise.all(
      Array.from({ length: 4 }, (_, i) => sleep(i * 60).then(() => runScheduledJob(60_000))),
    );
    await upstreamSettled(tl);

    expect(runs.every((r) => r.body.finished)).toBe(true);
    expect(runs.reduce((n, r) => n + r.body.keepAlive.refreshed, 0)).toBe(16);
    expect(await refreshCalls()).toBe(refreshesBefore + 16);
    for (const conn of keepAlive)
      expect((await storedState(conn.id)).refreshTokenSealed).not.toBe(conn.refreshTokenSealed);
    expect(runs.reduce((n, r) => n + r.body.balances.read, 0)).toBe(3);
    for (const { conn } of readers)
      expect(await unattendedBalanceCalls(conn.credentialsId)).toBe(await accounts(conn.id));
    for (const user of reminded) expect(mailbox.to(user.email ?? "")).toHaveLength(1);
    expect(runs.reduce((n, r) => n + r.body.remindersSent, 0)).toBe(3);
  });

  it("a run that stops at its budget leaves the rest to the next, which does it once", async () => {
    const due = await Promise.all(Array.from({ length: 24 }, (_, i) => unusedFor(26 + (i % 3))));
    // Every refresh of the first run answers after 1.5 s, past its 1 s budget: 16 are started, the rest wait.
    await sandboxControls(tl.sandboxUrl, tl.clientId).injectFault({
      endpoint: "token",
      kind: "delay",
      ms: 1_500,
      count: 16,
    });
    const before = await refreshCalls();
    const first = await runScheduledJob(1_000);
    expect(first.body.finished).toBe(false);
    expect(first.body.keepAlive.refreshed).toBe(16);

    const second = await runScheduledJob(60_000);
    expect(second.body.finished).toBe(true);
    expect(second.body.keepAlive.refreshed).toBe(8);
    expect(await refreshCalls()).toBe(before + 24);
    for (const conn of due)
      expect((await storedState(conn.id)).refreshTokenSealed).not.toBe(conn.refreshTokenSealed);
  });
});
