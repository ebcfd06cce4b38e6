import { describe, expect, it } from "vitest";
import { bankList, dueHeadline, statusDetail, statusLabel, statusLine } from "./status-words";

const jan3 = new Date("2027-01-03T12:00:00Z");
const jan9 = new Date("2027-01-09T12:00:00Z");

describe("the status words", () => {
  it("is one vocabulary: Active · Renew by · Paused since · Stopped by you on · Needs your bank", () => {
    expect(statusLabel({ state: "active", consentExpiresAt: jan3 })).toBe("Active");
    expect(statusLabel({ state: "expiring", consentExpiresAt: jan3 })).toBe("Renew by 3 January 2027");
    expect(statusLabel({ state: "lapsed", consentExpiresAt: jan3 })).toBe("Paused since 3 January 2027");
    expect(statusLabel({ state: "needs_bank", consentExpiresAt: jan3 })).toBe("Needs your bank");
    expect(statusLabel({ state: "revoked", consentExpiresAt: jan3, stoppedAt: jan9 })).toBe(
      "Stopped by you on 9 January 2027",
    );
    expect(statusLabel({ state: "revoked", consentExpiresAt: jan3 })).toBe("Stopped by you");
  });

  it("says sharing from a bank, never with it", () => {
    expect(statusLine("NatWest", { state: "lapsed", consentExpiresAt: jan3 })).toBe(
      "Sharing from NatWest: paused since 3 January 2027",
    );
    expect(statusDetail({ state: "revoked", consentExpiresAt: jan3 }, "Budgetly")).toBe(
      "Budgetly no longer sees data from this bank.",
    );
  });

  it("names every due bank in the banner, each only beside what is true of it (issue 29 item 3)", () => {
    expect(bankList(["A", "B", "C"])).toBe("A, B and C");
    expect(
      dueHeadline([{ providerName: "Lloyds", facts: { state: "expiring", consentExpiresAt: jan9 } }]),
    ).toBe("Sharing from Lloyds: renew by 9 January 2027");
    expect(
      dueHeadline([
        { providerName: "NatWest", facts: { state: "lapsed", consentExpiresAt: new Date("2026-12-01") } },
        { providerName: "Lloyds", facts: { state: "expiring", consentExpiresAt: jan9 } },
        { providerName: "Monzo", facts: { state: "expiring", consentExpiresAt: jan3 } },
      ]),
    ).toBe(
      "Sharing from Lloyds and Monzo: renew by 3 January 2027. Sharing from NatWest: paused since 1 December 2026",
    );
    expect(
      dueHeadline([
        { providerName: "NatWest", facts: { state: "lapsed", consentExpiresAt: jan9 } },
        { providerName: "Lloyds", facts: { state: "lapsed", consentExpiresAt: jan3 } },
      ]),
    ).toBe("Sharing from NatWest and Lloyds: paused since 3 January 2027");
    expect(
      dueHeadline([
        {
          providerName: "Harbour",
          facts: { state: "lapsed", consentExpiresAt: new Date("2026-11-26T12:00:00Z") },
        },
        { providerName: "Mock", facts: { state: "needs_bank", consentExpiresAt: jan9 } },
        {
          providerName: "Lloyds",
          facts: { state: "expiring", consentExpiresAt: new Date("2026-12-11T12:00:00Z") },
        },
      ]),
    ).toBe(
      "Sharing from Lloyds: renew by 11 December 2026. Sharing from Mock: needs your bank. Sharing from Harbour: paused since 26 November 2026",
    );
    const twice = { providerName: "Lloyds", facts: { state: "expiring" as const, consentExpiresAt: jan9 } };
    expect(dueHeadline([twice, { ...twice, facts: { ...twice.facts, consentExpiresAt: jan3 } }])).toBe(
      "Sharing from Lloyds: renew by 3 January 2027",
    );
  });
});
