import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { now, setClockOffset } from "@/lib/clock";
import { bankApproval, newUser } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { readClaimedAndRecord } from "../balances/read";
import type { BalanceReadClaim } from "../custody";
import { getConnectionsForUser } from "../store/connections";
import { parkReturn } from "../store/parked-returns";
import { handleCallback } from "./callback";

// Issue 30: /callback in at most six statements (the balance figures are stored after the response): the new
// connection is judged and stored in one statement that claims its read; parked returns swept only when one expired.

const suite = integrationSuite();
afterEach(() => setClockOffset(0));
const PSU_IP = "203.0.113.9";

async function connect(userId: string) {
  const approval = await bankApproval(userId);
  const claims: BalanceReadClaim[] = [];
  let sweeps = 0;
  const spy = vi.spyOn(pg.Pool.prototype, "query");
  const path = await handleCallback(approval, userId, {
    psuIp: PSU_IP,
    readClaimed: (claim) => claims.push(claim),
    sweepParks: () => {
      sweeps += 1;
    },
  });
  const statements = spy.mock.calls.length;
  spy.mockRestore();
  return { path, claims, sweeps, statements };
}

describe("a connect's statements", () => {
  it("the return, the code claim, the held grant, then one statement stores the connection and claims its read", async () => {
    const user = await newUser(suite.prisma);
    const { path, claims, sweeps, statements } = await connect(user.id);
    expect(path).toMatch(/^\/connections\/result\//);
    expect(statements).toBe(4);
    expect(sweeps).toBe(0);
    const [row] = await getConnectionsForUser(user.id);
    expect(claims.map((c) => c.connectionId)).toEqual([row?.id]);
    expect(claims[0]?.accounts.map((a) => a.id).sort()).toEqual(row?.accounts.map((a) => a.id).sort());
    expect(row?.balancesCheckedAt).not.toBeNull();
    const stored = await suite.prisma.connection.findUniqueOrThrow({ where: { id: row?.id } });
    expect(stored.unattendedReadsAt).toEqual([]);

    const results = await readClaimedAndRecord(claims, PSU_IP, []);
    expect(results.get(row?.id ?? "")).toBe("read");
    const [after] = await getConnectionsForUser(user.id);
    expect(after?.accounts.every((a) => a.balance !== null)).toBe(true);
  });

  it("a reconnect finds the connection it names in that statement and replaces it in place", async () => {
    const user = await newUser(suite.prisma);
    await connect(user.id);
    const [first] = await getConnectionsForUser(user.id);
    const approval = await bankApproval(user.id, {}, { reconnectId: first?.id });
    const claims: BalanceReadClaim[] = [];
    const path = await handleCallback(approval, user.id, {
      psuIp: PSU_IP,
      readClaimed: (c) => claims.push(c),
    });
    expect(path).toMatch(/^\/connections\/result\//);
    // Not a new connection: its read is claimed the usual way, after the response (refreshBalancesAfterReturn).
    expect(claims).toEqual([]);
    const rows = await getConnectionsForUser(user.id);
    expect(rows.map((r) => r.id)).toEqual([first?.id]);
    expect(rows[0]?.credentialsId).not.toBe(first?.credentialsId);
  });

  it("sweeps parked returns only when one has expired", async () => {
    const user = await newUser(suite.prisma);
    await parkReturn({
      exchangeId: `parked-${user.id}`,
      purpose: "CONNECT",
      ownerId: user.id,
      connectionIds: [],
      snapshot: { providerId: "ob-test" } as Parameters<typeof parkReturn>[0]["snapshot"],
      browserHash: "0".repeat(64),
      expiresAt: new Date(now().getTime() + 60_000),
    });
    expect((await connect(user.id)).sweeps).toBe(0);
    setClockOffset(2 * 60_000);
    expect((await connect(user.id)).sweeps).toBe(1);
  });
});
