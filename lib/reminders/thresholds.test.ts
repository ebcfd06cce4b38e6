import { describe, expect, it } from "vitest";
import { LAPSED, thresholdFor } from "./thresholds";

const at = new Date("2027-02-01T09:00:00Z");
const HOUR = 60 * 60 * 1000;
const inHours = (hours: number) => new Date(at.getTime() + hours * HOUR);
const active = (hours: number) => ({ status: "ACTIVE" as const, consentExpiresAt: inHours(hours) });

describe("thresholdFor", () => {
  it("is null while more than 14 days are left", () => {
    expect(thresholdFor(active(14 * 24 + 1), at)).toBeNull();
  });

  it("picks the tightest threshold reached, at or under each one", () => {
    expect(thresholdFor(active(14 * 24), at)).toBe(14);
    expect(thresholdFor(active(8 * 24), at)).toBe(14);
    expect(thresholdFor(active(7 * 24), at)).toBe(7);
    expect(thresholdFor(active(5 * 24), at)).toBe(7);
    expect(thresholdFor(active(24), at)).toBe(1);
    expect(thresholdFor(active(1), at)).toBe(1);
  });

  it("reports lapsed access, but not access that lapsed more than 30 days ago", () => {
    expect(thresholdFor(active(0), at)).toBe(LAPSED);
    expect(thresholdFor(active(-29 * 24), at)).toBe(LAPSED);
    expect(thresholdFor(active(-31 * 24), at)).toBeNull();
  });

  it("never reminds about a revoked connection; one waiting for the bank is due by date", () => {
    expect(thresholdFor({ status: "REVOKED", consentExpiresAt: inHours(24) }, at)).toBeNull();
    expect(thresholdFor({ status: "NEEDS_BANK_AUTH", consentExpiresAt: inHours(24) }, at)).toBe(1);
    expect(thresholdFor({ status: "NEEDS_BANK_AUTH", consentExpiresAt: inHours(60 * 24) }, at)).toBeNull();
  });
});
