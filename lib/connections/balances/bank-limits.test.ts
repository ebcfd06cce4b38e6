// Issue 25: only the last access token works, and the bank counts every unattended call (RTS Art. 36(5)). A 401 with
// the user present earns one refresh and one retry; unattended reads never retry; a 429 stops them until Retry-After.
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { now, setClockOffset } from "@/lib/clock";
import { sandboxControls } from "@/sandbox/client";
import { callsTo, storedState } from "@/test/checks";
import { createTestConnection, createTestUser, refreshTestConnection } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { claimBalanceReads } from "../custody";
import { openSecret } from "../sealed-tokens";
import { readBalances, readClaimedAndRecord, unattendedPauseAfter } from "./read";

const suite = integrationSuite();
const controls = () => sandboxControls(suite.it.sandboxUrl, suite.it.clientId);
afterEach(async () => {
  setClockOffset(0);
  await controls().setProfile(undefined, {});
});

const MINUTE = 60_000;
const PSU_IP = "203.0.113.9";
const present = () => ({ psuIp: PSU_IP, when: { checkedBefore: now() } });
const unattended = () => ({ when: { checkedBefore: now() } });

async function balanceCalls(credentialsId: string | null) {
  return (await controls().calls()).filter(
    (c) => c.path.endsWith("/balance") && c.credentialsId === credentialsId,
  );
}

/** A live connection whose stored access token TrueLayer no longer honours: someone refreshed elsewhere. */
async function supersededToken() {
  await controls().setProfile(undefined, { rotateRefreshTokens: false });
  const user = await createTestUser();
  const conn = await createTestConnection(suite.it, user.id, "eternal");
  const response = await fetch(`${suite.it.sandboxUrl}/connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      client_id: suite.it.clientId,
      client_secret: suite.it.clientSecret,
      refresh_token: openSecret(conn.refreshTokenSealed ?? ""),
    }).toString(),
  });
  expect(response.status).toBe(200);
  return conn;
}

describe("a 401 on a balance read (the token was superseded)", () => {
  it("with the user present: one refresh, one retry, and the figures are read", async () => {
    const conn = await supersededToken();
    const refreshes = await callsTo(suite.it, "/connect/token");
    expect((await readBalances({ connectionIds: [conn.id] }, present())).get(conn.id)).toBe("read");
    expect(await callsTo(suite.it, "/connect/token")).toBe(refreshes + 1);
    const statuses = (await balanceCalls(conn.credentialsId)).map((c) => c.status);
    expect(statuses[0]).toBe(401);
    expect(statuses.slice(1).every((s) => s === 200)).toBe(true);
    expect(statuses.length).toBeGreaterThan(1);
    expect((await storedState(conn.id)).accessTokenSealed).not.toBe(conn.accessTokenSealed);
  });

  it("unattended: no refresh and no retry", async () => {
    const conn = await supersededToken();
    const refreshes = await callsTo(suite.it, "/connect/token");
    expect((await readBalances({ connectionIds: [conn.id] }, unattended())).get(conn.id)).toBe("failed");
    expect(await callsTo(suite.it, "/connect/token")).toBe(refreshes);
    expect((await balanceCalls(conn.credentialsId)).map((c) => c.status)).toEqual([401]);
  });

  it("a read that took its token just before a concurrent refresh retries with the token that refresh stored", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "balance", kind: "delay", ms: 1_500 });
    const reading = readBalances({ connectionIds: [conn.id] }, present());
    await sleep(300);
    const refreshes = await callsTo(suite.it, "/connect/token");
    await refreshTestConnection(conn.id, user.id);
    expect((await reading).get(conn.id)).toBe("read");
    // Only the other request's refresh: ours took the token it had just stored.
    expect(await callsTo(suite.it, "/connect/token")).toBe(refreshes + 1);
    const statuses = (await balanceCalls(conn.credentialsId)).map((c) => c.status);
    expect(statuses[0]).toBe(401);
    expect(statuses.slice(1).every((s) => s === 200)).toBe(true);
  });
});

describe("a renewal's read, every account at once (decision 068)", () => {
  it("with a superseded token: one refresh shared by the accounts, each retried once, every figure read", async () => {
    const conn = await supersededToken();
    const refreshes = await callsTo(suite.it, "/connect/token");
    const claims = await claimBalanceReads({ connectionIds: [conn.id] }, { checkedBefore: now() });
    expect(claims).toHaveLength(1);
    expect((await readClaimedAndRecord(claims, PSU_IP, [])).get(conn.id)).toBe("read");
    expect(await callsTo(suite.it, "/connect/token")).toBe(refreshes + 1);
    const accounts = await suite.prisma.bankAccount.findMany({ where: { connectionId: conn.id } });
    expect(accounts.length).toBeGreaterThan(1);
    expect(accounts.every((a) => a.balanceReadAt !== null)).toBe(true);
    const statuses = (await balanceCalls(conn.credentialsId)).map((c) => c.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(accounts.length);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(accounts.length);
  });
});

describe("unattended reads and the bank's four a day", () => {
  it("a failed unattended read is not retried, so four reads use exactly the bank's four and none is refused", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "balance", kind: "503" });
    const results = [];
    for (let run = 1; run <= 4; run++) {
      setClockOffset(run * 10 * MINUTE);
      results.push((await readBalances({ connectionIds: [conn.id] }, unattended())).get(conn.id));
    }
    expect(results).toEqual(["failed", "read", "read", "read"]);
    const calls = await balanceCalls(conn.credentialsId);
    const accounts = (await suite.prisma.bankAccount.count({ where: { connectionId: conn.id } })) * 4;
    expect(calls.length).toBe(accounts);
    expect(calls.filter((c) => c.status === 429)).toEqual([]);
  });

  it("a 429 stops unattended reads of that connection until Retry-After; with the user present they go on", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "balance", kind: "429", retryAfterSeconds: 2 * 3600 });
    expect((await readBalances({ connectionIds: [conn.id] }, unattended())).get(conn.id)).toBe("failed");
    const paused = (await storedState(conn.id)).unattendedReadsPausedUntil?.getTime() ?? 0;
    expect(Math.abs(paused - (now().getTime() + 2 * 3600_000))).toBeLessThan(MINUTE);

    setClockOffset(60 * MINUTE);
    const sent = (await balanceCalls(conn.credentialsId)).length;
    expect((await readBalances({ connectionIds: [conn.id] }, unattended())).has(conn.id)).toBe(false);
    expect((await balanceCalls(conn.credentialsId)).length).toBe(sent);
    expect((await readBalances({ connectionIds: [conn.id] }, present())).get(conn.id)).toBe("read");

    setClockOffset(121 * MINUTE);
    expect((await readBalances({ connectionIds: [conn.id] }, unattended())).get(conn.id)).toBe("read");
  });

  it("without a Retry-After, a 429 stops them for a day", () => {
    const at = new Date("2026-12-06T10:00:00Z");
    expect(unattendedPauseAfter({ retryAfterSeconds: undefined }, at).toISOString()).toBe(
      "2026-12-07T10:00:00.000Z",
    );
    expect(unattendedPauseAfter({ retryAfterSeconds: 90 }, at).toISOString()).toBe(
      "2026-12-06T10:01:30.000Z",
    );
  });
});
