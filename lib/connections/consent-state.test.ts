import { describe, expect, it } from "vitest";
import { consentState, isDue } from "./consent-state";

const now = new Date("2027-01-01T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);

describe("consentState", () => {
  it("derives the state from the stored status, the expiry date and now", () => {
    expect(consentState({ status: "ACTIVE", consentExpiresAt: inDays(30) }, now)).toBe("active");
    expect(consentState({ status: "ACTIVE", consentExpiresAt: inDays(14.5) }, now)).toBe("active");
    expect(consentState({ status: "ACTIVE", consentExpiresAt: inDays(14) }, now)).toBe("expiring");
    expect(consentState({ status: "ACTIVE", consentExpiresAt: inDays(5) }, now)).toBe("expiring");
    expect(consentState({ status: "ACTIVE", consentExpiresAt: now }, now)).toBe("lapsed");
    expect(consentState({ status: "ACTIVE", consentExpiresAt: inDays(-10) }, now)).toBe("lapsed");
    expect(consentState({ status: "NEEDS_BANK_AUTH", consentExpiresAt: inDays(30) }, now)).toBe("needs_bank");
    expect(consentState({ status: "REVOKED", consentExpiresAt: inDays(-10) }, now)).toBe("revoked");
  });

  it("marks expiring, lapsed and bank-needed connections as due, and nothing else", () => {
    expect(
      ["active", "expiring", "lapsed", "needs_bank", "revoked"].filter((s) => isDue(s as never)),
    ).toEqual(["expiring", "lapsed", "needs_bank"]);
  });
});
