import { describe, expect, it } from "vitest";
import { nextReminder } from "./next";

const at = new Date("2026-12-06T12:00:00Z");
const inDays = (days: number) => new Date(at.getTime() + days * 86_400_000);
const active = (days: number) => ({ status: "ACTIVE" as const, consentExpiresAt: inDays(days) });

describe("the next reminder mail", () => {
  it("is the next threshold ahead, from the run's own thresholds", () => {
    expect(nextReminder(active(30), at, [])).toEqual({ kind: "on", at: inDays(16) });
    expect(nextReminder(active(10), at, [14])).toEqual({ kind: "on", at: inDays(3) });
    expect(nextReminder(active(5), at, [14, 7])).toEqual({ kind: "on", at: inDays(4) });
    expect(nextReminder(active(0.5), at, [1])).toEqual({ kind: "on", at: inDays(0.5) });
  });

  it("goes with the next run when one is due and not yet sent; none after the lapsed mail or a stop", () => {
    expect(nextReminder(active(5), at, [])).toEqual({ kind: "next_run" });
    expect(nextReminder(active(-2), at, [])).toEqual({ kind: "next_run" });
    expect(nextReminder(active(-2), at, [0])).toEqual({ kind: "none" });
    expect(nextReminder(active(-40), at, [])).toEqual({ kind: "none" });
    expect(nextReminder({ status: "REVOKED", consentExpiresAt: inDays(5) }, at, [])).toEqual({
      kind: "none",
    });
  });
});
