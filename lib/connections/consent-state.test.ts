import { describe, expect, it } from "vitest";
import { consentState, isDue, justRenewed } from "./consent-state";

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

describe("justRenewed", () => {
  const at = new Date("2026-12-01T12:00:00Z");
  const minutesAgo = (m: number) => new Date(at.getTime() - m * 60_000);
  it("is true within the hour after a renewal, false after it, when stopped, or never renewed", () => {
    expect(justRenewed({ status: "ACTIVE", renewedAt: minutesAgo(59) }, at)).toBe(true);
    expect(justRenewed({ status: "ACTIVE", renewedAt: minutesAgo(61) }, at)).toBe(false);
    expect(justRenewed({ status: "REVOKED", renewedAt: minutesAgo(1) }, at)).toBe(false);
    expect(justRenewed({ status: "ACTIVE", renewedAt: null }, at)).toBe(false);
  });
});
