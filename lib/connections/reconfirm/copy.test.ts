import { describe, expect, it } from "vitest";
import {
  type CopyConnection,
  copyHash,
  reconfirmCopy,
  TRUELAYER_PRIVACY_URL,
  TRUELAYER_TERMS_URL,
} from "./copy";

const today = new Date("2026-11-16T10:00:00Z");
const mock: CopyConnection = {
  id: "c1",
  providerName: "Mock UK Bank",
  scopes: ["info", "accounts", "balance", "offline_access"],
  accounts: [{ displayName: "Current account", maskedNumber: "•••• 5678" }],
};
const harbour: CopyConnection = { ...mock, id: "c2", providerName: "Harbour Building Society" };

describe("the reconfirmation wording", () => {
  it("puts the key point in the heading and says who, what, why and until when", () => {
    const copy = reconfirmCopy([mock], today);
    expect(copy.heading).toBe("Keep sharing with Mock UK Bank?");
    expect(copy.newExpiry).toBe("14 February 2027");
    const text = JSON.stringify(copy);
    expect(text).toContain("TrueLayer");
    expect(text).toContain("Financial Conduct Authority");
    expect(text).toContain("Nobody else");
    expect(text).toContain("Nothing else changes");
    expect(text).toContain("at your bank");
    expect(copy.links.map((l) => l.href)).toEqual([TRUELAYER_TERMS_URL, TRUELAYER_PRIVACY_URL]);
    expect(copy.banks[0]?.accounts).toEqual(["Current account •••• 5678"]);
    expect(copy.banks[0]?.data).toContain("Balances");
  });

  it("has a stable hash that ignores the order connections are given in", () => {
    const a = copyHash(reconfirmCopy([mock, harbour], today));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(copyHash(reconfirmCopy([harbour, mock], today))).toBe(a);
    expect(reconfirmCopy([harbour, mock], today).heading).toBe("Keep sharing with 2 banks?");
  });

  it("changes its hash when anything the user reads changes", () => {
    const base = copyHash(reconfirmCopy([mock], today));
    expect(copyHash(reconfirmCopy([mock], new Date("2026-11-17T10:00:00Z")))).not.toBe(base);
    expect(copyHash(reconfirmCopy([{ ...mock, scopes: ["accounts"] }], today))).not.toBe(base);
    const renamed = { ...mock, accounts: [{ displayName: "Saver", maskedNumber: "•••• 5678" }] };
    expect(copyHash(reconfirmCopy([renamed], today))).not.toBe(base);
    expect(copyHash(reconfirmCopy([mock, harbour], today))).not.toBe(base);
  });
});
