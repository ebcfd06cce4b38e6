import { describe, expect, it } from "vitest";
import { sharingBanks } from "./delete-words";

describe("sharingBanks", () => {
  it("names each bank still sharing once, and leaves stopped ones out", () => {
    const rows = [
      { status: "ACTIVE", providerName: "Monzo" },
      { status: "NEEDS_BANK_AUTH", providerName: "Monzo" },
      { status: "REVOKED", providerName: "Barclays" },
      { status: "ACTIVE", providerName: "HSBC" },
    ];
    expect(sharingBanks(rows)).toEqual(["Monzo", "HSBC"]);
    expect(sharingBanks([])).toEqual([]);
  });
});
