import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { now } from "@/lib/clock";
import { db } from "@/lib/db";
import type { FunnelEventInput } from "@/lib/funnel/record";
import { storedState } from "@/test/checks";
import { createTestConnection, createTestUser } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { copyFor, reconfirmConnections } from "../reconfirm/workflow";
import { getConnectionsForUser, getUserConnections } from "../store/connections";
import { readBalances, readClaimedAndRecord } from "./read";

// Issue 30 (docs/decisions/059).

let tl: Integration;
beforeAll(async () => {
  tl = await startIntegration();
});
afterAll(() => tl?.close());

const PSU_IP = "203.0.113.9";

async function renew(userId: string, id: string, claimRead: { unattended: boolean }) {
  const { hash } = copyFor(await getUserConnections(userId, [id]), now());
  const spy = vi.spyOn(pg.Pool.prototype, "query");
  const result = await reconfirmConnections(
    { connectionId: [id], shownConnectionId: [id], copyHash: hash },
    userId,
    undefined,
    undefined,
    claimRead,
  );
  const statements = spy.mock.calls.length;
  spy.mockRestore();
  if (result.kind !== "finished") throw new Error(`renewal ${result.kind}`);
  const [only] = result.outcomes;
  if (only?.outcome.kind !== "extended") throw new Error(`not extended: ${only?.outcome.kind}`);
  return { outcome: only.outcome, funnel: result.funnelEvents, statements };
}

describe("the balance read after a renewal", () => {
  it("is claimed by the statement that stores the new tokens; figures and funnel counts follow in one statement", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const before = await storedState(conn.id);

    const { outcome, funnel, statements } = await renew(user.id, conn.id, { unattended: true });
    // The submission, the consent record with the claim, and the answer with the read's claim.
    expect(statements).toBe(3);

    const stored = await storedState(conn.id);
    expect(stored.accessToken).not.toBe(before.accessToken);
    expect(outcome.read?.connectionId).toBe(conn.id);
    expect(outcome.read?.accounts.length).toBeGreaterThan(0);
    expect(outcome.read?.accessTokenSealed).toBe(
      (await db().connection.findUniqueOrThrow({ where: { id: conn.id } })).accessTokenSealed,
    );
    expect(stored.unattendedReadsAt.length).toBe(before.unattendedReadsAt.length + 1);

    const spy = vi.spyOn(pg.Pool.prototype, "query");
    const results = await readClaimedAndRecord(outcome.read ? [outcome.read] : [], PSU_IP, funnel);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(results.get(conn.id)).toBe("read");
    const [row] = await getConnectionsForUser(user.id);
    expect(row?.accounts.every((a) => a.balance !== null)).toBe(true);
    const steps = await db().funnelEvent.findMany({ where: { userId: user.id }, select: { step: true } });
    expect(steps.map((s) => s.step).sort()).toEqual(["COMPLETED", "CONFIRMED"]);
  });

  it("at the unattended limit the renewal still stores its tokens and claims no read", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    // Four unattended reads in the last day: the bank's limit.
    for (const n of [1, 2, 3, 4])
      await readBalances(
        { connectionIds: [conn.id] },
        { when: { checkedBefore: new Date(now().getTime() + n) } },
      );
    expect((await storedState(conn.id)).unattendedReadsAt.length).toBe(4);
    const before = await storedState(conn.id);
    const { outcome } = await renew(user.id, conn.id, { unattended: true });
    expect(outcome.read).toBeUndefined();
    const stored = await storedState(conn.id);
    expect(stored.accessToken).not.toBe(before.accessToken);
    expect(stored.lastResult).toBe("EXTENDED");
    expect(stored.unattendedReadsAt.length).toBe(4);
  });

  it("with the user present the read is claimed without counting it as unattended", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const { outcome } = await renew(user.id, conn.id, { unattended: false });
    expect(outcome.read?.connectionId).toBe(conn.id);
    expect((await storedState(conn.id)).unattendedReadsAt).toEqual([]);
  });

  it("counts that cannot be recorded never cost the figures", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const { outcome } = await renew(user.id, conn.id, { unattended: false });
    const broken = [{ step: "NOT_A_STEP", userId: user.id }] as unknown as FunnelEventInput[];
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const results = await readClaimedAndRecord(outcome.read ? [outcome.read] : [], PSU_IP, broken);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    expect(results.get(conn.id)).toBe("read");
    const [row] = await getConnectionsForUser(user.id);
    expect(row?.accounts.every((a) => a.balance !== null)).toBe(true);
  });
});
