import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { sandboxControls } from "@/kit";
import { now, setClockOffset } from "@/lib/clock";
import { callsTo, refreshTokenWorks, storedState, upstreamSettled } from "@/test/checks";
import { bankApproval, createTestConnection, createTestUser, reconfirmOne } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { handleCallback } from "./bank-return/callback";
import { hold, LEASE_MS } from "./custody";
import { bankResults } from "./reconfirm/results";
import { getReconfirmationForUser } from "./store/reconfirmations";

// Row locks and many connections act as in production only on a real server; the embedded one serves one at once.
const embedded = inject("testDatabaseKind") === "embedded";
const title = embedded
  ? "concurrency (SKIPPED: needs real PostgreSQL; the embedded database cannot show it)"
  : "concurrency against real PostgreSQL";

let tl: Integration;
beforeAll(async () => {
  if (!embedded) tl = await startIntegration();
});
afterAll(() => tl?.close());
afterEach(() => setClockOffset(0));

const SUBMITTERS = 50;

describe.skipIf(embedded)(title, () => {
  it(`${SUBMITTERS} simultaneous submissions: one upstream extend, every submitter sees its outcome`, async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const extendsBefore = await callsTo(tl, "/connections/extend");
    const results = await Promise.all(
      Array.from({ length: SUBMITTERS }, () => reconfirmOne(user.id, conn.id)),
    );

    expect(await callsTo(tl, "/connections/extend")).toBe(extendsBefore + 1);
    const after = await storedState(conn.id);
    expect(after.later.map((e) => e.type)).toEqual(["EXTENDED"]);
    expect(after.leaseId).toBeNull();
    const shown = new Set<string>();
    for (const result of results) {
      if (result.kind !== "finished") throw new Error(`a submitter got ${result.kind}`);
      const record = await getReconfirmationForUser(result.reconfirmationId, user.id);
      if (!record) throw new Error("a submitter's results page would be missing");
      for (const r of bankResults(record, now())) shown.add(`${r.status}: ${r.headline}`);
    }
    expect([...shown]).toEqual([expect.stringMatching(/^extended: Mock UK Bank: sharing continues until /)]);
    expect(await refreshTokenWorks(after.refreshToken)).toBe("works");
  });

  it("recovers a lease left by a crashed request once it expires", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    // A request claimed the connection and died before calling TrueLayer.
    expect("held" in (await hold(conn.id, user.id, "extend"))).toBe(true);
    setClockOffset(LEASE_MS + 1_000);
    const result = await reconfirmOne(user.id, conn.id);
    if (result.kind !== "finished") throw new Error(`reconfirm ended ${result.kind}`);
    expect(result.outcomes[0]?.outcome.kind).toBe("extended");
    const after = await storedState(conn.id);
    expect(after.later.map((e) => e.type)).toEqual(["EXTENDED"]);
    expect(after.leaseId).toBeNull();
    expect(await refreshTokenWorks(after.refreshToken)).toBe("works");
  });

  it("a reconnect that lands while an extend is in flight waits for it, and its newer tokens are what stay", async () => {
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const approval = await bankApproval(user.id, { password: "eternal" }, { reconnectId: conn.id });
    await sandboxControls(tl.sandboxUrl, tl.clientId).injectFault({
      endpoint: "extend",
      kind: "delay",
      ms: 1_500,
    });
    const extending = reconfirmOne(user.id, conn.id);
    // While TrueLayer is still working on the extend, the user's reconnect lands and is stored.
    for (let i = 0; i < 50 && !(await storedState(conn.id)).leaseId; i++) await sleep(20);
    await handleCallback(approval, user.id);
    const reconnected = await storedState(conn.id);
    expect(reconnected.later.map((e) => e.type)).toEqual(["EXTENDED", "RECONNECTED"]);

    const result = await extending;
    await upstreamSettled(tl);
    if (result.kind !== "finished") throw new Error(`reconfirm ended ${result.kind}`);
    expect(result.outcomes[0]?.outcome).toMatchObject({ kind: "extended" });
    const after = await storedState(conn.id);
    expect(after.accessToken).toBe(reconnected.accessToken);
    expect(after.refreshToken).toBe(reconnected.refreshToken);
    expect(after.later.map((e) => e.type)).toEqual(["EXTENDED", "RECONNECTED"]);
    expect(await refreshTokenWorks(after.refreshToken)).toBe("works");
  });
});
