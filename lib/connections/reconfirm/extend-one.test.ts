import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { approveBankReauth, completeDialog, sandboxControls } from "@/kit";
import { addDays, now, setClockOffset } from "@/lib/clock";
import { type Integration, startIntegration } from "@/test/integration";

let tl: Integration;
beforeAll(async () => {
  tl = await startIntegration();
});
afterAll(async () => {
  setClockOffset(0);
  await tl?.close();
});
afterEach(async () => {
  setClockOffset(0);
  const { setSandboxClock } = await import("@/test/flows");
  await setSandboxClock(tl, 0);
});

// App modules read the environment once, so they load after startIntegration.
async function app() {
  const factory = await import("@/test/flows");
  const workflow = await import("./workflow");
  const queries = await import("../store/reconfirmations");
  const store = await import("../store/connections");
  const { handleCallback } = await import("../bank-return/callback");
  const { openSecret } = await import("../sealed-tokens");
  const { db } = await import("@/lib/db");
  // A return from the bank in a browser that is signed in (or not) and holds no trip cookie.
  const completeExtendAtBank = async ({
    code,
    sessionUserId,
  }: {
    code: string;
    sessionUserId: string | null;
  }) => {
    const path = await handleCallback({ code }, sessionUserId, {});
    return { path, exchangeId: new URL(path, "http://x").searchParams.get("exchange") ?? "" };
  };
  return { ...factory, ...workflow, ...queries, ...store, completeExtendAtBank, openSecret, prisma: db() };
}

async function reconfirm(userId: string, ids: string[]) {
  const { copyFor, getUserConnections, reconfirmConnections } = await app();
  const { hash } = copyFor(await getUserConnections(userId, ids), now());
  return reconfirmConnections({ connectionId: ids, shownConnectionId: ids, copyHash: hash }, userId);
}

async function connectionState(id: string) {
  const { prisma, openSecret } = await app();
  const row = await prisma.connection.findUniqueOrThrow({ where: { id }, include: { events: true } });
  return {
    ...row,
    refreshToken: row.refreshTokenSealed ? openSecret(row.refreshTokenSealed) : null,
    accessToken: row.accessTokenSealed ? openSecret(row.accessTokenSealed) : null,
    eventTypes: row.events
      .filter((e) => e.type !== "CONNECTED")
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((e) => e.type),
  };
}

function expectAbout(actual: Date, expected: Date) {
  expect(Math.abs(actual.getTime() - expected.getTime())).toBeLessThan(60_000);
}

describe("extend when the user reconfirms", () => {
  it("john/eternal: stores the new tokens and expiry, records the wording and EXTENDED", async () => {
    const { createTestUser, createTestConnection, prisma } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const before = await connectionState(conn.id);
    const result = await reconfirm(user.id, [conn.id]);
    expect(result.kind).toBe("finished");
    if (result.kind !== "finished") return;
    expect(result.firstLink).toBeUndefined();
    const after = await connectionState(conn.id);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expectAbout(after.consentExpiresAt, addDays(now(), 90));
    expect(after.eventTypes).toEqual(["EXTENDED"]);
    expect(after.leaseId).toBeNull();
    const record = await prisma.reconfirmation.findUniqueOrThrow({
      where: { id: result.reconfirmationId },
      include: { items: true, events: true, owner: true, outcomes: true },
    });
    expect(record.copyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.items.map((i) => i.connectionId)).toEqual([conn.id]);
    expect(record.items[0]?.providerName).toBe(conn.providerName);
    expect(record.owner?.userId).toBe(user.id);
    expect(((record.owner?.accounts ?? {}) as Record<string, unknown[]>)[conn.id]?.length).toBeGreaterThan(0);
    expect(record.events.map((e) => e.type)).toEqual(["EXTENDED"]);
    expect(record.outcomes.map((e) => e.type)).toEqual(["EXTENDED"]);
  });

  it("john/norotate: keeps the refresh token that was sent when none comes back", async () => {
    const { createTestUser, createTestConnection } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "norotate");
    const before = await connectionState(conn.id);
    expect((await reconfirm(user.id, [conn.id])).kind).toBe("finished");
    const after = await connectionState(conn.id);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.eventTypes).toEqual(["EXTENDED"]);
  });

  it("john/doe: sends the user to the bank, then its owner's return (signed in, no trip cookie) stores the tokens", async () => {
    const { createTestUser, createTestConnection, completeExtendAtBank, prisma } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "doe");
    const before = await connectionState(conn.id);
    const result = await reconfirm(user.id, [conn.id]);
    if (result.kind !== "finished" || !result.firstLink) throw new Error("expected a bank link");
    expect((await connectionState(conn.id)).eventTypes).toEqual(["SENT_TO_BANK"]);
    expect((await connectionState(conn.id)).refreshToken).toBe(before.refreshToken);

    const { code } = await approveBankReauth(result.firstLink);
    const { exchangeId, path } = await completeExtendAtBank({ code, sessionUserId: user.id });
    const exchange = await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeId } });
    expect(exchange).toMatchObject({ outcome: "extend:completed", userId: user.id, connectionId: conn.id });
    const after = await connectionState(conn.id);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.status).toBe("ACTIVE");
    expectAbout(after.consentExpiresAt, addDays(now(), 90));
    expect(after.eventTypes).toEqual(["SENT_TO_BANK", "COMPLETED_AT_BANK"]);
    const done = after.events.find((e) => e.type === "COMPLETED_AT_BANK");
    expect(done?.reconfirmationId).toBe(result.reconfirmationId);
    // The same code again (a reload): same exchange, nothing spent twice.
    expect(await completeExtendAtBank({ code, sessionUserId: user.id })).toEqual({ exchangeId, path });
  });

  it("refuses a bank return into another signed-in user's account", async () => {
    const { createTestUser, createTestConnection, completeExtendAtBank, prisma } = await app();
    const owner = await createTestUser();
    const stranger = await createTestUser();
    const conn = await createTestConnection(tl, owner.id, "doe");
    const before = await connectionState(conn.id);
    const result = await reconfirm(owner.id, [conn.id]);
    if (result.kind !== "finished" || !result.firstLink) throw new Error("expected a bank link");
    const { code } = await approveBankReauth(result.firstLink);
    const exchanges = await prisma.codeExchange.count();
    expect((await completeExtendAtBank({ code, sessionUserId: stranger.id })).path).toBe(
      "/connections/problem?reason=no_trip",
    );
    expect(await prisma.codeExchange.count()).toBe(exchanges);
    expect((await connectionState(conn.id)).accessToken).toBe(before.accessToken);
  });

  it("john/reconfirm: the link opens TrueLayer's dialog, and its code completes the extension", async () => {
    const { createTestUser, createTestConnection, completeExtendAtBank, prisma } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "reconfirm");
    const result = await reconfirm(user.id, [conn.id]);
    if (result.kind !== "finished" || !result.firstLink) throw new Error("expected a link");
    const { code } = await completeDialog(result.firstLink, { username: "john", password: "reconfirm" });
    const { exchangeId } = await completeExtendAtBank({ code, sessionUserId: user.id });
    const exchange = await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeId } });
    expect(exchange.outcome).toBe("extend:completed");
    expect((await connectionState(conn.id)).eventTypes).toEqual(["SENT_TO_BANK", "COMPLETED_AT_BANK"]);
  });

  it("a dead refresh token (31 days unused) marks the connection as needing the bank", async () => {
    const { createTestUser, createTestConnection, setSandboxClock } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    await setSandboxClock(tl, 31);
    const result = await reconfirm(user.id, [conn.id]);
    if (result.kind !== "finished") throw new Error(result.message);
    expect(result.outcomes[0]?.outcome).toEqual({ kind: "failed", reason: "reconnect_required" });
    const after = await connectionState(conn.id);
    expect(after.status).toBe("NEEDS_BANK_AUTH");
    expect(after.eventTypes).toEqual(["FAILED"]);
    expect(after.events.find((e) => e.type === "FAILED")?.reason).toBe("reconnect_required");
  });

  it("a lapsed connection (day 95) is extended without connecting again", async () => {
    const { createTestUser, createTestConnection, setSandboxClock, refreshTestConnection } = await app();
    const { dueFor } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    // Regular syncs keep the refresh token alive (it dies after 30 idle days); consent still ends on day 90.
    for (const day of [25, 50, 75]) {
      setClockOffset(day * 86_400_000);
      await setSandboxClock(tl, day);
      await refreshTestConnection(conn.id, user.id);
    }
    setClockOffset(95 * 86_400_000);
    await setSandboxClock(tl, 95);
    expect((await dueFor(user.id, now())).map((c) => c.id)).toEqual([conn.id]);
    const result = await reconfirm(user.id, [conn.id]);
    if (result.kind !== "finished") throw new Error(result.message);
    expect(result.outcomes[0]?.outcome.kind).toBe("extended");
    expectAbout((await connectionState(conn.id)).consentExpiresAt, addDays(now(), 90));
  });

  it("a lost response on extend: nothing guessed is stored, no one is sent to the bank, the next try reuses the token", async () => {
    const { createTestUser, createTestConnection } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const before = await connectionState(conn.id);
    await sandboxControls(tl.sandboxUrl, tl.clientId).injectFault({
      endpoint: "extend",
      kind: "lost_response",
    });
    const result = await reconfirm(user.id, [conn.id]);
    if (result.kind !== "finished") throw new Error(result.message);
    expect(result.outcomes[0]?.outcome).toEqual({ kind: "failed", reason: "outcome_unknown" });
    const after = await connectionState(conn.id);
    expect(after).toMatchObject({ status: "ACTIVE", statusReason: null });
    expect(after.outcomeUnknownAt).not.toBeNull();
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.consentExpiresAt).toEqual(before.consentExpiresAt);
    expect(after.eventTypes).toEqual(["FAILED"]);
  });

  it("20 simultaneous submissions call extend exactly once", async () => {
    const { createTestUser, createTestConnection, extendCalls, copyFor, getUserConnections } = await app();
    const { reconfirmConnections } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const { hash } = copyFor(await getUserConnections(user.id, [conn.id]), now());
    const callsBefore = await extendCalls(tl);
    const input = { connectionId: [conn.id], shownConnectionId: [conn.id], copyHash: hash };
    const results = await Promise.all(Array.from({ length: 20 }, () => reconfirmConnections(input, user.id)));
    expect(results.every((r) => r.kind === "finished")).toBe(true);
    expect((await extendCalls(tl)) - callsBefore).toBe(1);
    const after = await connectionState(conn.id);
    expect(after.eventTypes).toEqual(["EXTENDED"]);
    expect(after.leaseId).toBeNull();
    // The stored refresh token is the live one (the old one died when extend rotated it).
    const { truelayer } = await import("../truelayer-client");
    await expect(truelayer().refreshToken({ refreshToken: after.refreshToken ?? "" })).resolves.toBeTruthy();
    expect((await reconfirmConnections(input, user.id)).kind).toBe("finished");
    expect((await extendCalls(tl)) - callsBefore).toBe(1);
  });
});

describe("several banks, one at a time", () => {
  it("sends the user to the first bank, then continues with a fresh link for the next", async () => {
    const { createTestUser, createTestConnection, completeExtendAtBank, getReconfirmationForUser } =
      await app();
    const { bankResults, progressOf } = await import("./results");
    const { extendOne } = await import("./extend-one");
    const user = await createTestUser();
    const first = await createTestConnection(tl, user.id, "doe");
    const second = await createTestConnection(tl, user.id, "doe");
    const third = await createTestConnection(tl, user.id, "eternal");
    const result = await reconfirm(user.id, [first.id, second.id, third.id]);
    if (result.kind !== "finished" || !result.firstLink) throw new Error("expected a bank link");
    const progress = async () => {
      const record = await getReconfirmationForUser(result.reconfirmationId, user.id);
      if (!record) throw new Error("no reconfirmation");
      return progressOf(bankResults(record, now()));
    };
    expect(await progress()).toMatchObject({ done: 1, total: 3 });

    await completeExtendAtBank({
      code: (await approveBankReauth(result.firstLink)).code,
      sessionUserId: user.id,
    });
    const afterFirst = await progress();
    expect(afterFirst).toMatchObject({ done: 2, total: 3 });
    if (!afterFirst.next) throw new Error("expected a next bank");
    const { copyHash } = await (await app()).prisma.reconfirmation.findUniqueOrThrow({
      where: { id: result.reconfirmationId },
    });
    const again = await extendOne({
      connectionId: afterFirst.next.connectionId,
      userId: user.id,
      reconfirmationId: result.reconfirmationId,
      copyHash,
      user: { id: user.truelayerUserId, name: "Jamie Example", email: user.email ?? "" },
      freshLink: true,
    });
    if (again.kind !== "bank" || !again.userInputLink) throw new Error("expected a fresh link");
    await completeExtendAtBank({
      code: (await approveBankReauth(again.userInputLink)).code,
      sessionUserId: user.id,
    });
    expect(await progress()).toMatchObject({ done: 3, total: 3, next: undefined });
  });
});

describe("refusals", () => {
  it("refuses the whole submission when one id is another user's, changing nothing", async () => {
    const { createTestUser, createTestConnection, reconfirmConnections, extendCalls, prisma } = await app();
    const { copyFor, getUserConnections } = await app();
    const me = await createTestUser();
    const other = await createTestUser();
    const mine = await createTestConnection(tl, me.id, "eternal");
    const theirs = await createTestConnection(tl, other.id, "eternal");
    const { hash } = copyFor(await getUserConnections(me.id, [mine.id]), now());
    const callsBefore = await extendCalls(tl);
    const ids = [mine.id, theirs.id];
    const result = await reconfirmConnections(
      { connectionId: ids, shownConnectionId: ids, copyHash: hash },
      me.id,
    );
    expect(result.kind).toBe("refused");
    expect(await extendCalls(tl)).toBe(callsBefore);
    expect(await prisma.reconfirmationOwner.count({ where: { userId: me.id } })).toBe(0);
    expect((await connectionState(theirs.id)).eventTypes).toEqual([]);
    expect((await connectionState(mine.id)).eventTypes).toEqual([]);
  });

  it("refuses a submission whose wording is no longer what the page shows", async () => {
    const { createTestUser, createTestConnection, reconfirmConnections, STALE_COPY_MESSAGE } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const result = await reconfirmConnections(
      { connectionId: [conn.id], shownConnectionId: [conn.id], copyHash: "0".repeat(64) },
      user.id,
    );
    expect(result).toEqual({ kind: "stale", message: STALE_COPY_MESSAGE });
    expect((await connectionState(conn.id)).eventTypes).toEqual([]);
  });

  it("needs a full name before calling extend, and at least one bank", async () => {
    const { createTestUser, createTestConnection, ReconfirmInput } = await app();
    const user = await createTestUser(null);
    const conn = await createTestConnection(tl, user.id, "eternal");
    expect((await reconfirm(user.id, [conn.id])).kind).toBe("refused");
    const parsed = ReconfirmInput.safeParse({
      connectionId: [],
      shownConnectionId: [conn.id],
      copyHash: "a",
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain("Choose at least one bank");
  });
});
