import { describe, expect, it } from "vitest";
import { dashboardCards } from "./dashboard";
import type { ConnectionRow } from "./store/connections";

const row = (id: string, status: ConnectionRow["status"], expires: string) =>
  ({
    id,
    providerName: `Bank ${id}`,
    status,
    consentCreatedAt: new Date("2026-09-01T12:00:00Z"),
    consentExpiresAt: new Date(expires),
  }) as ConnectionRow;

describe("dashboardCards", () => {
  it("gives each card its words, stopped ones apart, and notices only for banks really stopped", () => {
    const at = new Date("2026-12-07T12:00:00Z");
    const rows = [
      row("a", "ACTIVE", "2026-11-26T12:00:00Z"),
      row("b", "REVOKED", "2027-02-01T12:00:00Z"),
      row("c", "ACTIVE", "2026-12-11T12:00:00Z"),
    ];
    const stoppedAt = new Date("2026-12-01T10:00:00Z");
    const milestones = new Map([["b", { lastReconfirmedAt: null, stoppedAt }]]);
    const { live, ended, justStopped } = dashboardCards(rows, milestones, ["b", "c"], at, "App");
    expect(live.map((c) => [c.connection.id, c.words.label])).toEqual([
      ["a", "Paused since 26 November 2026"],
      ["c", "Renew by 11 December 2026"],
    ]);
    expect(ended.map((c) => [c.connection.id, c.words.label, c.milestones])).toEqual([
      ["b", "Stopped by you on 1 December 2026", { lastReconfirmedAt: null, stoppedAt }],
    ]);
    expect(justStopped.map((c) => c.id)).toEqual(["b"]);
    expect(dashboardCards(rows, milestones, "c", at, "App").justStopped).toEqual([]);
  });
});
