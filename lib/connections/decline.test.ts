import type { PrismaClient } from "@prisma/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sandboxControls } from "@/kit";
import { now, setClockOffset } from "@/lib/clock";
import { findDueConnectionsPage } from "@/lib/reminders/queries";
import { createTestConnection, createTestUser, reconfirmOne } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { declineAndStop } from "./decline";
import { buildHistory } from "./history-entries";
import { dueFor, milestonesOfUserConnections } from "./store/connections";
import { connectionHistory, connectionMilestones } from "./store/history";

let it_: Integration;
let prisma: PrismaClient;

beforeAll(async () => {
  it_ = await startIntegration();
  prisma = it_.prisma;
});
afterAll(() => it_.close());
afterEach(() => setClockOffset(0));

const DAY = 24 * 60 * 60 * 1000;
const simulated = async (credentialsId: string | null) =>
  (await sandboxControls(it_.sandboxUrl, it_.clientId).connections()).find(
    (c) => c.credentials_id === credentialsId,
  )?.status;

describe("No, stop sharing, confirmed", () => {
  it("revokes every named bank at TrueLayer, deletes the tokens, and nothing is due any more", async () => {
    const user = await createTestUser();
    const a = await createTestConnection(it_, user.id, "eternal");
    const b = await createTestConnection(it_, user.id, "eternal");
    setClockOffset(85 * DAY);
    expect((await dueFor(user.id, now())).map((c) => c.id).sort()).toEqual([a.id, b.id].sort());

    expect(await declineAndStop(user.id, [a.id, b.id])).toEqual({
      ok: true,
      stopped: [a.id, b.id].sort(),
      busy: [],
    });
    for (const c of [a, b]) {
      const row = await prisma.connection.findUniqueOrThrow({
        where: { id: c.id },
        include: { events: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
      });
      expect(row).toMatchObject({ status: "REVOKED", accessTokenSealed: null, refreshTokenSealed: null });
      expect(row.events.map((e) => e.type)).toEqual(["CONNECTED", "DECLINED", "REVOKED"]);
      expect(await simulated(c.credentialsId)).toBe("revoked");
    }
    expect(await dueFor(user.id, now())).toEqual([]);
    const window = { from: new Date(0), to: new Date(now().getTime() + 30 * DAY) };
    const candidates = await findDueConnectionsPage(window, undefined, 1000);
    expect(candidates.filter((c) => c.userId === user.id)).toEqual([]);
    expect((await connectionMilestones(user.id, [a.id])).get(a.id)?.stoppedAt).toBeInstanceOf(Date);
    // Without ids: every connection of the user's; the dashboard reads the same in its connections' statement.
    expect((await connectionMilestones(user.id)).get(a.id)?.stoppedAt).toBeInstanceOf(Date);
    expect(await milestonesOfUserConnections(user.id)).toEqual(await connectionMilestones(user.id));
  });

  it("refuses a list with another user's bank and stops nothing", async () => {
    const me = await createTestUser();
    const mine = await createTestConnection(it_, me.id, "eternal");
    const stranger = await createTestUser();
    const theirs = await createTestConnection(it_, stranger.id, "eternal");
    expect(await declineAndStop(me.id, [mine.id, theirs.id])).toEqual({ ok: false, problem: "not_found" });
    const rows = await prisma.connection.findMany({ where: { id: { in: [mine.id, theirs.id] } } });
    expect(rows.map((r) => r.status)).toEqual(["ACTIVE", "ACTIVE"]);
    expect(await prisma.connectionEvent.count({ where: { type: "DECLINED", connectionId: mine.id } })).toBe(
      0,
    );
  });
});

describe("a connection's history", () => {
  it("lists connected, the reconfirmation with the words seen and its accounts, declined, stopped", async () => {
    const user = await createTestUser();
    const c = await createTestConnection(it_, user.id, "eternal");
    setClockOffset(85 * DAY);
    const result = await reconfirmOne(user.id, c.id);
    expect(result.kind).toBe("finished");
    await declineAndStop(user.id, [c.id]);
    const row = await prisma.connection.findUniqueOrThrow({
      where: { id: c.id },
      include: { accounts: true },
    });
    const { events, records } = await connectionHistory(user.id, c.id);
    const entries = buildHistory(row, events, records, now());
    expect(entries.map((e) => e.title.replace(/ until .*/, ""))).toEqual([
      "Connected",
      "You reconfirmed",
      "Renewed",
      "You said no to renewing",
      "Stopped by you",
    ]);
    const seen = entries[1]?.wording;
    expect(seen?.heading).toBe("Keep sharing from Mock UK Bank?");
    expect(seen?.accounts.length).toBe(row.accounts.length);
    expect(seen?.accounts[0]).toContain(row.accounts.map((a) => a.displayName).sort()[0]);
    expect((await connectionMilestones(user.id, [c.id])).get(c.id)?.lastReconfirmedAt).toBeInstanceOf(Date);
    expect(await milestonesOfUserConnections(user.id)).toEqual(await connectionMilestones(user.id));
    const intruder = await createTestUser();
    expect(await connectionHistory(intruder.id, c.id)).toEqual({ events: [], records: [] });
  });

  it("shows a consent that ran out before it was renewed as paused on its end date", () => {
    const at = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * DAY);
    const event = (type: "CONNECTED" | "EXTENDED", d: number, until: number) => ({
      type,
      reason: null,
      reconfirmationId: null,
      createdAt: at(d),
      consentExpiresAt: at(until),
    });
    const entries = buildHistory(
      { id: "c1", status: "ACTIVE", consentExpiresAt: at(190) },
      [event("CONNECTED", 0, 90), event("EXTENDED", 100, 190)],
      [],
      at(200),
    );
    expect(entries.map((e) => [e.title.replace(/ until .*/, ""), e.at])).toEqual([
      ["Connected", at(0)],
      ["Paused", at(90)],
      ["Renewed", at(100)],
      ["Paused", at(190)],
    ]);
  });
});
