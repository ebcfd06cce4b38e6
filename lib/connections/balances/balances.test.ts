import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sandboxControls, setSeededConnection } from "@/kit";
import { now, setClockOffset } from "@/lib/clock";
import { db } from "@/lib/db";
import { callsTo, refreshTokenWorks, storedState, upstreamSettled } from "@/test/checks";
import { createTestConnection, createTestUser } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { accessToken as accessTokenFor, commit, hold } from "../custody";
import { sealSecret } from "../sealed-tokens";
import { storeBalances } from "../store/balances";
import { getConnectionsForUser } from "../store/connections";
import { readBalances } from "./read";
import { runScheduledBalanceReads } from "./unattended";

let tl: Integration;
beforeAll(async () => {
  tl = await startIntegration();
});
afterAll(() => tl?.close());
afterEach(() => setClockOffset(0));

const MINUTE = 60_000;
const balanceCalls = async () =>
  (await sandboxControls(tl.sandboxUrl, tl.clientId).calls()).filter((c) => c.path.endsWith("/balance"));
const PSU_IP = "203.0.113.9";
const forced = () => ({ psuIp: PSU_IP, when: { checkedBefore: now() } });

async function expiredTokenConnection() {
  const user = await createTestUser();
  const conn = await createTestConnection(tl, user.id, "eternal");
  await setSeededConnection(conn.id, { accessTokenExpiresAt: new Date(now().getTime() - MINUTE) });
  return { user, conn };
}

describe("balances", () => {
  it("stores each account's figures, read with the viewer's X-PSU-IP, and renders them in the one dashboard statement", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const results = await readBalances({ connectionIds: [conn.id], userId: user.id }, forced());
    expect(results.get(conn.id)).toBe("read");
    const calls = (await balanceCalls()).filter((c) => c.credentialsId === conn.credentialsId);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.psuIp === PSU_IP && c.status === 200)).toBe(true);

    const spy = vi.spyOn(pg.Pool.prototype, "query");
    const [row] = await getConnectionsForUser(user.id);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(row?.accounts.length).toBe(calls.length);
    for (const account of row?.accounts ?? []) {
      expect(account.balance).toMatchObject({
        currency: "GBP",
        current: expect.stringMatching(/^-?\d+\.\d\d$/),
      });
      expect(account.balance?.readAt).toBeGreaterThanOrEqual(row?.balancesCheckedAt?.getTime() ?? Infinity);
    }
  });

  it("two reads of an expired access token: one refresh upstream, both get the new token, no token lost", async () => {
    const { conn } = await expiredTokenConnection();
    const before = await callsTo(tl, "/connect/token");
    const claimed = {
      connectionId: conn.id,
      userId: conn.userId,
      accessTokenSealed: conn.accessTokenSealed,
      accessTokenExpiresAt: new Date(now().getTime() - MINUTE),
    };
    const [a, b] = await Promise.all([accessTokenFor(claimed), accessTokenFor(claimed)]);
    // A third tab read the old row before the refresh and claims only after it ended.
    const c = await accessTokenFor(claimed);
    expect(await callsTo(tl, "/connect/token")).toBe(before + 1);
    expect(c).toBe(a);
    const after = await storedState(conn.id);
    expect(a).toBe(after.accessToken);
    expect(b).toBe(after.accessToken);
    expect(after.leaseId).toBeNull();
    expect(after.status).toBe("ACTIVE");
    expect(after.accessTokenExpiresAt?.getTime()).toBeGreaterThan(now().getTime() + 30 * MINUTE);
    // The strict profile rotates: the successor was stored in the statement that retired the old one.
    expect(after.refreshToken).not.toBe(conn.refreshTokenSealed);
    expect(await refreshTokenWorks(after.refreshToken)).toBe("works");
  });

  it("a refused refresh token (invalid_grant) marks the connection as needing the bank; the figures stay", async () => {
    const { conn } = await expiredTokenConnection();
    await readBalances({ connectionIds: [conn.id] }, forced());
    const figures = (await getConnectionsForUser(conn.userId))[0]?.accounts.map((a) => a.balance);
    setClockOffset(MINUTE);
    await setSeededConnection(conn.id, {
      refreshTokenSealed: sealSecret("not-a-token-truelayer-issued"),
      accessTokenExpiresAt: new Date(now().getTime() - MINUTE),
    });
    const results = await readBalances({ connectionIds: [conn.id] }, forced());
    expect(results.get(conn.id)).toBe("no_token");
    const after = await storedState(conn.id);
    expect(after.status).toBe("NEEDS_BANK_AUTH");
    expect(after.statusReason).toBe("reconnect_required");
    expect(after.leaseId).toBeNull();
    expect((await getConnectionsForUser(conn.userId))[0]?.accounts.map((a) => a.balance)).toEqual(figures);
  });

  it("invalid_client never clears or replaces a token: the connection stays active and a later read refreshes", async () => {
    const { conn } = await expiredTokenConnection();
    await sandboxControls(tl.sandboxUrl, tl.clientId).setProfile(undefined, { flakyClientAuth: 1 });
    try {
      expect((await readBalances({ connectionIds: [conn.id] }, forced())).get(conn.id)).toBe("no_token");
    } finally {
      await sandboxControls(tl.sandboxUrl, tl.clientId).setProfile(undefined);
    }
    expect(await tl.prisma.operatorAlert.findMany({ where: { kind: "credentials_refused" } })).toEqual([
      expect.objectContaining({ summary: "TrueLayer refused our client credentials on a token refresh" }),
    ]);
    const kept = await storedState(conn.id);
    expect(kept.status).toBe("ACTIVE");
    expect(kept.refreshTokenSealed).toBe(conn.refreshTokenSealed);
    expect(kept.accessTokenSealed).toBe(conn.accessTokenSealed);
    setClockOffset(MINUTE);
    expect((await readBalances({ connectionIds: [conn.id] }, forced())).get(conn.id)).toBe("read");
  });

  it("scheduled reads: four per connection in 24 hours, the fifth is not sent; lapsed, declined and unseen users' never", async () => {
    const user = await createTestUser();
    // Read for people who look: a session used within the fortnight. A user seen 15 days ago gets none.
    await db().session.create({
      data: { sessionToken: randomUUID(), userId: user.id, expires: new Date(now().getTime() + 86_400_000) },
    });
    const away = await createTestUser();
    await db().session.create({
      data: {
        sessionToken: randomUUID(),
        userId: away.id,
        expires: new Date(now().getTime() + 86_400_000),
        lastSeenAt: new Date(now().getTime() - 15 * 86_400_000),
      },
    });
    const unseen = await createTestConnection(tl, away.id, "eternal");
    const conn = await createTestConnection(tl, user.id, "eternal");
    const lapsed = await createTestConnection(tl, user.id, "eternal");
    await setSeededConnection(lapsed.id, { consentExpiresAt: new Date(now().getTime() - MINUTE) });
    const declined = await createTestConnection(tl, user.id, "eternal");
    const held = await hold(declined.id, user.id, "test");
    if (!("held" in held)) throw new Error("not held");
    await commit(held.held, { kind: "declined" });
    const accounts =
      (await getConnectionsForUser(user.id)).find((c) => c.id === conn.id)?.accounts.length ?? 0;
    const sent = async (credentialsId: string | null) =>
      (await balanceCalls()).filter((c) => c.credentialsId === credentialsId && !c.psuIp);

    for (let run = 1; run <= 5; run++) {
      setClockOffset(run * 10 * MINUTE);
      await runScheduledBalanceReads({ deadline: Date.now() + 10_000, spacingMs: MINUTE });
    }
    await upstreamSettled(tl);
    const calls = await sent(conn.credentialsId);
    expect(calls.length).toBe(4 * accounts);
    expect(calls.every((c) => c.status === 200)).toBe(true);
    expect(await sent(lapsed.credentialsId)).toEqual([]);
    expect(await sent(declined.credentialsId)).toEqual([]);
    expect(await sent(unseen.credentialsId)).toEqual([]);
    const viewed = await readBalances({ connectionIds: [conn.id] }, forced());
    expect(viewed.get(conn.id)).toBe("read");
    // Once the first counted read is 24 hours old, one more may go.
    setClockOffset(24 * 60 * MINUTE + 15 * MINUTE);
    await sandboxControls(tl.sandboxUrl, tl.clientId).setClock(25 / 24);
    await runScheduledBalanceReads({ deadline: Date.now() + 10_000, spacingMs: MINUTE });
    const later = await sent(conn.credentialsId);
    expect(later.length).toBe(5 * accounts);
    // None refused by the bank's count (refreshTokenWorks superseded an access token: unattended 401s never retry).
    expect((await balanceCalls()).filter((c) => c.status === 429)).toEqual([]);
  });

  it("figures that arrive after the user stopped sharing are dropped", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const [row] = await getConnectionsForUser(user.id);
    await setSeededConnection(conn.id, {
      status: "REVOKED",
      accessTokenSealed: null,
      refreshTokenSealed: null,
    });
    const figures = (row?.accounts ?? []).map((a) => ({
      accountId: a.id,
      current: 1,
      available: 1,
      currency: "GBP",
    }));
    expect(figures.length).toBeGreaterThan(0);
    await storeBalances(conn.id, figures);
    expect((await getConnectionsForUser(user.id))[0]?.accounts.map((a) => a.balance)).toEqual(
      figures.map(() => null),
    );
  });

  it("instances racing on the count: eight at once send no more than four reads", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        readBalances(
          { connectionIds: [conn.id] },
          { when: { checkedBefore: new Date(now().getTime() + n + 1) } },
        ),
      ),
    );
    expect(results.filter((r) => r.get(conn.id) === "read").length).toBeLessThanOrEqual(4);
    const stored = await storedState(conn.id);
    expect(stored.unattendedReadsAt.length).toBeLessThanOrEqual(4);
  });
});
