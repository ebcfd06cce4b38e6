import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { StoppedNotice } from "@/app/(app)/_components/stopped-notice";
import { NotFinished } from "@/app/(bank-return)/reconfirm/progress/_components/not-finished";
import { approveBankReauth, sandboxControls, setSeededConnection } from "@/kit";
import { now, setClockOffset } from "@/lib/clock";
import { storedState } from "@/test/checks";
import {
  bankApproval,
  createTestConnection,
  exchangeIdFrom,
  newUser,
  reconfirmOne,
  reconfirmThroughBank,
} from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { readBalances } from "../balances/read";
import { handleCallback } from "../bank-return/callback";
import { buildHistory } from "../history-entries";
import { openSecret } from "../sealed-tokens";
import { stopSharing } from "../stop-sharing";
import { connectionHistory } from "../store/history";
import { truelayer } from "../truelayer-client";
import { hold, release } from "./hold";
import { drainRevokeQueue, revokeQueueStats } from "./queue";
import { LEASE_MS } from "./statements";

// Issue 26's failures, each against the simulator.

const suite = integrationSuite();
const controls = () => sandboxControls(suite.it.sandboxUrl, suite.it.clientId);
const grantOf = async (credentialsId: string | null) =>
  (await controls().connections()).find((c) => c.credentials_id === credentialsId);
const DAY = 24 * 60 * 60 * 1000;
const sha = (v: string) => createHash("sha256").update(v).digest("hex");
/** The connection holds the grant's live refresh token. */
const heldIsLive = async (conn: { id: string; credentialsId: string | null }) => {
  const row = await suite.prisma.connection.findUniqueOrThrow({ where: { id: conn.id } });
  const grant = await grantOf(conn.credentialsId);
  expect(grant?.status).toBe("active");
  expect(sha(openSecret(row.refreshTokenSealed ?? ""))).toBe(grant?.refresh_token_sha256);
};

beforeAll(async () => {
  await controls().setProfile("strict");
});
afterEach(async () => {
  setClockOffset(0);
  await controls().setProfile("strict");
});

describe("stop sharing while TrueLayer is down", () => {
  it("stops here at once, keeps the grant in the revoke queue, and revokes it once TrueLayer answers", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "delete", kind: "503", count: 2 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await stopSharing(user.id, conn.id)).toMatchObject({ ok: true, reason: "truelayer_unreachable" });
    const after = await storedState(conn.id);
    expect(after).toMatchObject({ status: "REVOKED", accessTokenSealed: null, refreshTokenSealed: null });
    expect((await grantOf(conn.credentialsId))?.status).toBe("active");
    const queued = await suite.prisma.pendingRevoke.findFirstOrThrow({
      where: { credentialsId: conn.credentialsId },
    });
    expect(queued).toMatchObject({ reason: "stopped", providerName: "Mock UK Bank" });
    expect((await revokeQueueStats()).size).toBeGreaterThan(0);
    expect(await drainRevokeQueue()).toMatchObject({ postponed: 1 });
    expect(await suite.prisma.securityEvent.count({ where: { kind: "REVOKE_FAILED" } })).toBeGreaterThan(0);
    setClockOffset(2 * DAY);
    await controls().advanceClock(2);
    expect(await drainRevokeQueue()).toMatchObject({ revoked: 1 });
    expect((await grantOf(conn.credentialsId))?.status).toBe("revoked");
    expect(await suite.prisma.pendingRevoke.count({ where: { credentialsId: conn.credentialsId } })).toBe(0);
    warn.mockRestore();
  });
});

// Found by the custody soak (seed -101791459): a re-authentication's code brings the grant's new refresh token.
describe("a re-authentication whose reads fail after the code exchange", () => {
  async function reauthReturn(faults: number) {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "doe");
    const { trip, link } = await reconfirmThroughBank(user.id, conn.id);
    const back = await approveBankReauth(link, { password: "doe" });
    await controls().injectFault({ endpoint: "data", kind: "500", count: faults });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const path = await handleCallback(
      { code: back.code, ...(back.state ? { state: back.state } : {}) },
      user.id,
      { tripHashes: [trip.hash] },
    );
    warn.mockRestore();
    return Object.assign(conn, { path });
  }
  it("the queue learns the grant is the connection's and hands it the new tokens", async () => {
    const conn = await reauthReturn(2);
    await heldIsLive(conn);
    expect(await suite.prisma.pendingRevoke.count({ where: { credentialsId: conn.credentialsId } })).toBe(0);
  });

  it("the page back from the bank says they approved and the end date stayed (said nothing changed), and it did", async () => {
    const conn = await reauthReturn(2);
    const exchangeId = exchangeIdFrom(conn.path);
    const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeId } });
    const reason = exchange.outcome.split(":")[2] ?? "";
    expect(reason).toMatch(/^get(Me|Accounts)_failed$/);
    const page = renderToStaticMarkup(createElement(NotFinished, { pending: false, renewed: [], reason }));
    expect(page).toContain("You approved at your bank, but we couldn&#x27;t finish renewing here");
    expect(page).toContain("keeps its old end date");
    await heldIsLive(conn);
    const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: conn.id } });
    expect(after.consentExpiresAt).toEqual(conn.consentExpiresAt);
  });

  it("while TrueLayer will not say whose it is, the grant waits in the queue, unrevoked", async () => {
    const conn = await reauthReturn(3);
    expect((await grantOf(conn.credentialsId))?.status).toBe("active");
    const waiting = await suite.prisma.pendingRevoke.findFirstOrThrow({
      where: { reason: "reauth_unreadable" },
      orderBy: { createdAt: "desc" },
    });
    expect(waiting).toMatchObject({ credentialsId: null, lastError: "credentials_unknown" });
    setClockOffset(2 * 60 * 60 * 1000);
    expect(await drainRevokeQueue()).toMatchObject({ forgotten: 1, revoked: 0 });
    await heldIsLive(conn);
  });

  it("an access token TrueLayer refuses (401) before the end we computed is refreshed, never taken for 'no owner'", async () => {
    const conn = await reauthReturn(3);
    const waiting = await suite.prisma.pendingRevoke.findFirstOrThrow({
      where: { reason: "reauth_unreadable" },
      orderBy: { createdAt: "desc" },
    });
    // Due now, its access token live by our clock; at TrueLayer a day has passed, so that token has expired.
    await suite.prisma.pendingRevoke.update({ where: { id: waiting.id }, data: { nextAttemptAt: now() } });
    await controls().advanceClock(1);
    expect(await drainRevokeQueue()).toMatchObject({ forgotten: 1, revoked: 0 });
    await heldIsLive(conn);
  });
});

// While TrueLayer answers slowly, the lease lapses and another job takes the connection; once it lets go, the queue
// hands the grant's new tokens over.
async function leaseTakenDuring<T>(conn: { id: string }, userId: string, work: () => Promise<T>) {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const working = work();
  const leased = async () =>
    (await suite.prisma.connection.findUniqueOrThrow({ where: { id: conn.id } })).leaseId;
  for (let i = 0; i < 200 && !(await leased()); i++) await sleep(25);
  setClockOffset(LEASE_MS + 1_000);
  const other = await hold(conn.id, userId, "keep-alive");
  if (!("held" in other)) throw new Error("the lapsed lease was not taken");
  const result = await working;
  warn.mockRestore();
  return { result, other };
}

async function lapsedLeaseWhile<T>(
  conn: { id: string; credentialsId: string | null },
  userId: string,
  work: () => Promise<T>,
) {
  const { result, other } = await leaseTakenDuring(conn, userId, work);
  const queued = await suite.prisma.pendingRevoke.findFirstOrThrow({
    where: { credentialsId: conn.credentialsId },
  });
  expect(queued.refreshTokenSealed).not.toBeNull();
  expect(await drainRevokeQueue()).toMatchObject({ postponed: 1, revoked: 0 });
  await release(other.held);
  await suite.prisma.pendingRevoke.update({ where: { id: queued.id }, data: { nextAttemptAt: now() } });
  expect(await drainRevokeQueue()).toMatchObject({ forgotten: 1, revoked: 0 });
  await heldIsLive(conn);
  return result;
}

describe("a lease that lapsed while TrueLayer answered", () => {
  it("a renewal queues the grant's new tokens, and the queue hands them to the connection once it is free", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "extend", kind: "delay", ms: 3_000 });
    const result = await lapsedLeaseWhile(conn, user.id, () => reconfirmOne(user.id, conn.id));
    expect(result).toMatchObject({ kind: "finished", outcomes: [{ outcome: { kind: "failed" } }] });
  });

  it("so does a refresh (a balance read's)", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await setSeededConnection(conn.id, { accessTokenExpiresAt: new Date(now().getTime() - 60_000) });
    await controls().injectFault({ endpoint: "token", kind: "delay", ms: 3_000 });
    await lapsedLeaseWhile(conn, user.id, () =>
      readBalances({ connectionIds: [conn.id] }, { psuIp: "203.0.113.9", when: { checkedBefore: now() } }),
    );
  });
});

describe("a stop whose lease lapsed while it refreshed the grant's tokens", () => {
  it("still stops, and the queue revokes the grant with the tokens the stop could not store", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await setSeededConnection(conn.id, { accessTokenExpiresAt: new Date(now().getTime() - 60_000) });
    await controls().injectFault({ endpoint: "token", kind: "delay", ms: 3_000 });
    const { result } = await leaseTakenDuring(conn, user.id, () => stopSharing(user.id, conn.id));
    expect(result).toMatchObject({ ok: true, reason: "truelayer_unreachable" });
    const stopped = await storedState(conn.id);
    expect(stopped).toMatchObject({ status: "REVOKED", refreshTokenSealed: null });
    // TrueLayer answered (the refresh); what is true is that it has not confirmed the end.
    const notice = renderToStaticMarkup(createElement(StoppedNotice, { connection: stopped }));
    expect(notice).toContain("TrueLayer hasn&#x27;t confirmed its end yet");
    expect((await grantOf(conn.credentialsId))?.status).toBe("active");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await drainRevokeQueue();
    warn.mockRestore();
    expect((await grantOf(conn.credentialsId))?.status).toBe("revoked");
  });
});

describe("stopping after a renewal whose answer never reached us", () => {
  it("says the access may still be open at the bank, and counts the grant lost", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "extend", kind: "lost_response" });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await reconfirmOne(user.id, conn.id);
    expect(await stopSharing(user.id, conn.id)).toMatchObject({ ok: true, reason: "answer_lost" });
    warn.mockRestore();
    expect(await storedState(conn.id)).toMatchObject({ status: "REVOKED", statusReason: "answer_lost" });
    expect((await grantOf(conn.credentialsId))?.status).toBe("active");
    const queued = await suite.prisma.pendingRevoke.findFirstOrThrow({
      where: { credentialsId: conn.credentialsId },
    });
    expect(queued.lastError).toBe("grant_lost");
    const row = await suite.prisma.connection.findUniqueOrThrow({ where: { id: conn.id } });
    const { events, records } = await connectionHistory(user.id, conn.id);
    expect(buildHistory(row, events, records, now()).at(-1)?.detail).toMatch(/withdraw it at your bank/);
  });
});

describe("a reconnect that brings a new grant", () => {
  it("revokes the grant it replaces; one that keeps its credentials_id is the same grant and stays", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    const approval = await bankApproval(user.id, { password: "eternal" }, { reconnectId: conn.id });
    expect(await handleCallback(approval, user.id)).toMatch(/^\/connections\/result\//);
    const after = await storedState(conn.id);
    expect(after.credentialsId).not.toBe(conn.credentialsId);
    expect(after.later.map((e) => e.type)).toEqual(["RECONNECTED"]);
    expect((await grantOf(conn.credentialsId))?.status).toBe("revoked");
    expect((await grantOf(after.credentialsId))?.status).toBe("active");
    expect(await suite.prisma.pendingRevoke.count({ where: { credentialsId: conn.credentialsId } })).toBe(0);
  });
});

describe("a 401 from DELETE /api/delete is not proof the grant is gone", () => {
  it("a superseded access token gets one refresh and one more DELETE, and the grant is revoked", async () => {
    // Without rotation the same refresh token keeps working; only the last access token does.
    await controls().setProfile("strict", { rotateRefreshTokens: false });
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    // Someone (another instance, say) refreshed meanwhile: the access token we hold is superseded, not expired.
    await truelayer().refreshToken({ refreshToken: openSecret(conn.refreshTokenSealed ?? "") });
    expect(await stopSharing(user.id, conn.id)).toMatchObject({ ok: true, reason: "user_stopped" });
    expect((await grantOf(conn.credentialsId))?.status).toBe("revoked");
    const deletes = (await controls().calls()).filter((c) => c.path === "/api/delete").slice(-2);
    expect(deletes.map((c) => c.status)).toEqual([401, 200]);
  });
});

describe("a 401 at a refresh is our configuration, never the user's consent", () => {
  it("a balance read keeps the connection active and alerts; stop sharing queues the grant, not 'already ended'", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await setSeededConnection(conn.id, { accessTokenExpiresAt: new Date(now().getTime() - 60_000) });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await controls().injectFault({ endpoint: "token", kind: "unauthorized_client" });
    const read = await readBalances(
      { connectionIds: [conn.id] },
      { psuIp: "203.0.113.9", when: { checkedBefore: now() } },
    );
    expect(read.get(conn.id)).toBe("no_token");
    const kept = await storedState(conn.id);
    expect(kept).toMatchObject({
      status: "ACTIVE",
      statusReason: null,
      refreshTokenSealed: conn.refreshTokenSealed,
    });

    await controls().injectFault({ endpoint: "token", kind: "unauthorized_client" });
    expect(await stopSharing(user.id, conn.id)).toMatchObject({ ok: true, reason: "truelayer_unreachable" });
    expect((await grantOf(conn.credentialsId))?.status).toBe("active");
    expect(await suite.prisma.pendingRevoke.count({ where: { credentialsId: conn.credentialsId } })).toBe(1);
    // Both refusals are one alert (one kind, one hour), counted twice.
    expect(await suite.prisma.operatorAlert.findMany({ where: { kind: "configuration_refused" } })).toEqual([
      expect.objectContaining({
        count: 2,
        summary: expect.stringContaining("TrueLayer refused our client configuration"),
      }),
    ]);
    warn.mockRestore();
    setClockOffset(2 * DAY);
    await controls().advanceClock(2);
    expect(await drainRevokeQueue()).toMatchObject({ revoked: 1 });
    expect((await grantOf(conn.credentialsId))?.status).toBe("revoked");
  });
});

describe("invalid_client at a queued revoke's refresh: bad credentials, or a dead token?", () => {
  it("under truelayer-sandbox (which answers it for a dead refresh token) the queue drains once our credentials are seen working", async () => {
    await controls().setProfile("truelayer-sandbox");
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    // Ended at the bank meanwhile; then our stop finds TrueLayer down, so the grant is queued.
    await truelayer().deleteConnection(openSecret(conn.accessTokenSealed ?? ""));
    await setSeededConnection(conn.id, { accessTokenExpiresAt: new Date(now().getTime() - 60_000) });
    await controls().injectFault({ endpoint: "token", kind: "503" });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await stopSharing(user.id, conn.id)).toMatchObject({ reason: "truelayer_unreachable" });
    const other = await newUser(suite.prisma);
    const runs = [];
    for (let run = 1; run <= 3; run++) {
      setClockOffset(run * 2 * DAY);
      // Someone else's connection, just made, shows our credentials working at the time of each run.
      if (run === 3) await createTestConnection(suite.it, other.id, "eternal");
      runs.push(await drainRevokeQueue());
    }
    // Twice refused and kept (our credentials might be what is wrong); the third time, with them seen working, dead.
    expect(runs.map((r) => [r.postponed, r.goneUnsettled])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(await suite.prisma.pendingRevoke.count({ where: { credentialsId: conn.credentialsId } })).toBe(0);
    // The alert fired at most once per run, not once per retry of every row.
    expect(error.mock.calls.length).toBeLessThanOrEqual(3);
    error.mockClear();
    error.mockRestore();
    warn.mockRestore();
  });
});
