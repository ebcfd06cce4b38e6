import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveBankReauth, DialogError } from "@/kit";
import { newTrip, reconfirmOne } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { now } from "../lib/clock";
import { handleCallback } from "../lib/connections/bank-return/callback";
import { consentState } from "../lib/connections/consent-state";
import { buildHistory } from "../lib/connections/history-entries";
import { dueHeadline, statusDetail, statusLabel } from "../lib/connections/status-words";
import { connectionsForExport } from "../lib/connections/store/export";
import { connectionHistory } from "../lib/connections/store/history";
import { formatDate } from "../lib/format";
import { DEMO_EMAIL, seedDemo } from "./demo-data";

let it_: Integration;
beforeAll(async () => {
  it_ = await startIntegration();
});
afterAll(async () => it_.close());

const demoRows = () =>
  it_.prisma.connection.findMany({
    where: { user: { email: DEMO_EMAIL } },
    include: { accounts: true },
    orderBy: { consentExpiresAt: "desc" },
  });

describe("demo seed", () => {
  it("makes an active, an expiring and a lapsed connection that the simulator agrees with", async () => {
    expect(await seedDemo()).toBe(3);
    const rows = await demoRows();
    expect(rows.map((r) => consentState(r, now()))).toEqual(["active", "expiring", "lapsed"]);
    expect(Math.round((rows[1]?.consentExpiresAt.getTime() ?? 0) - now().getTime()) / 86_400_000).toBeCloseTo(
      5,
      0,
    );
    for (const row of rows) {
      expect(row.refreshTokenSealed).toMatch(/^v1\./);
      expect(row.accounts.length).toBeGreaterThan(0);
    }
    const connections = await it_.sandbox.controls.connections();
    for (const row of rows) {
      const there = connections.find((c) => c.credentials_id === row.credentialsId);
      expect(there && Date.parse(there.consent_expires_at)).toBe(row.consentExpiresAt.getTime());
    }
    expect(await seedDemo()).toBe(0);
  });

  // Issue 29 item 2: the seed goes through a connect's own statement, dated when the demo says it happened.
  it("history, card, banner and export agree on every seeded connection", async () => {
    await seedDemo();
    const rows = await demoRows();
    const userId = rows[0]?.userId ?? "";
    const at = now();
    const exported = await connectionsForExport(userId);
    const due: Parameters<typeof dueHeadline>[0] = [];
    for (const row of rows) {
      const facts = { state: consentState(row, at), consentExpiresAt: row.consentExpiresAt };
      const until = formatDate(row.consentExpiresAt);
      const { events, records } = await connectionHistory(userId, row.id);
      const history = buildHistory(row, events, records, at);
      const card = `${statusLabel(facts)} ${statusDetail(facts, "Reconsent")}`;
      // The history's "Connected" is when the consent was granted, and says the end date the card says.
      const connected = history.find((e) => e.title === "Connected");
      expect(connected?.at.getTime(), row.providerName).toBe(row.consentCreatedAt.getTime());
      expect(connected?.detail).toBe(`Sharing until ${until}`);
      expect(card).toContain(until);
      if (facts.state === "lapsed") {
        // The lapsed period shows, on the day the card says it began.
        expect(history.at(-1)).toMatchObject({ title: "Paused", at: row.consentExpiresAt });
        expect(statusLabel(facts)).toBe(`Paused since ${until}`);
      } else {
        expect(history.some((e) => e.title === "Paused")).toBe(false);
      }
      if (facts.state !== "active") due.push({ providerName: row.providerName, facts });
      // The JSON download holds the same dates, each with its zone.
      const json = exported.find((c) => c.id === row.id);
      expect(json?.consentExpiresAt).toBe(row.consentExpiresAt.toISOString());
      expect(json?.createdAt).toBe(row.consentCreatedAt.toISOString());
      expect(json?.history).toEqual([
        {
          type: "CONNECTED",
          reason: null,
          consentExpiresAt: row.consentExpiresAt.toISOString(),
          at: row.consentCreatedAt.toISOString(),
        },
      ]);
    }
    const banner = dueHeadline(due);
    for (const d of due) {
      const label = statusLabel(d.facts);
      expect(banner).toContain(`${d.providerName}: ${label.charAt(0).toLowerCase()}${label.slice(1)}`);
    }
  });

  it("a cancel at the bank on a seeded connection is in its history, and nothing else changed", async () => {
    await seedDemo();
    const harbour = (await demoRows()).find((r) => r.providerId === "uk-ob-mock-harbour");
    if (!harbour) throw new Error("no Harbour");
    const trip = newTrip();
    const sent = await reconfirmOne(harbour.userId, harbour.id, trip.hash);
    if (sent.kind !== "finished" || !sent.firstLink) throw new Error("expected a bank trip");
    // The simulator's bank page can only send the user back with the error: that is the return.
    const error = await approveBankReauth(sent.firstLink, { cancel: true }).then(
      () => "approved",
      (e: unknown) => (e instanceof DialogError ? e.error : undefined),
    );
    expect(error).toBe("access_denied");
    expect(await handleCallback({ error }, harbour.userId, { tripHashes: [trip.hash] })).toBe(
      `/connections/cancelled?from=reconfirm&connection=${harbour.id}`,
    );
    const after = await it_.prisma.connection.findUniqueOrThrow({ where: { id: harbour.id } });
    expect(after.consentExpiresAt).toEqual(harbour.consentExpiresAt);
    const { events, records } = await connectionHistory(harbour.userId, harbour.id);
    const titles = buildHistory(after, events, records, now()).map((e) => e.title);
    expect(titles.slice(-2)).toEqual([
      "Sent to your bank to confirm",
      "You cancelled at your bank: nothing was renewed",
    ]);
    expect(titles).toContain("Paused");
    const json = (await connectionsForExport(harbour.userId)).find((c) => c.id === harbour.id);
    expect(json?.history.map((e) => e.type)).toEqual(["CONNECTED", "SENT_TO_BANK", "CANCELLED_AT_BANK"]);
  });
});
