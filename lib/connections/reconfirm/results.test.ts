import { describe, expect, it } from "vitest";
import type { ReconfirmationResults } from "../store/reconfirmations";
import { bankResults } from "./results";

const at = new Date("2026-12-07T10:00:00Z");

function failedWith(reason: string): ReconfirmationResults {
  return {
    id: "r1",
    items: [
      {
        connection: {
          id: "c1",
          providerId: "uk-cs-mock",
          providerName: "Mock UK Bank",
          providerLogoUrl: null,
          status: "ACTIVE",
          consentExpiresAt: new Date("2026-12-10T10:00:00Z"),
          leaseExpiresAt: null,
          renewedElsewhere: null,
          accounts: [],
          events: [{ type: "FAILED", reason, consentExpiresAt: null }],
        },
      },
    ],
  };
}

describe("a failed renewal's result", () => {
  it("never says 'not renewed' when TrueLayer may have renewed it before its answer was lost", () => {
    const [result] = bankResults(failedWith("outcome_unknown"), at);
    expect(result?.headline).toBe("Mock UK Bank: we couldn't tell whether it renewed");
    expect(result?.detail).toContain("we can't tell whether renewing worked");
  });

  it("says 'not renewed' when nothing was renewed for sure", () => {
    for (const reason of ["bank_unavailable", "details_rejected", "client_rejected_unalerted"]) {
      const [result] = bankResults(failedWith(reason), at);
      expect(result?.headline).toBe("Mock UK Bank: not renewed");
      expect(result?.detail).toMatch(/Nothing has changed|nothing was renewed|didn't accept/);
    }
  });
});
