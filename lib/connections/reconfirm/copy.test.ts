import { describe, expect, it } from "vitest";
import { type Brand, brand } from "@/lib/brand";
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
    expect(copy.heading).toBe("Keep sharing from Mock UK Bank?");
    expect(copy.newExpiry).toBe("14 February 2027");
    const text = JSON.stringify(copy);
    expect(text).toContain("TrueLayer");
    expect(text).toContain("Financial Conduct Authority");
    expect(text).toContain("Nobody else");
    expect(text).toContain("Nothing else changes");
    expect(text).toContain("at your bank");
    expect(text).toContain("TrueLayer Limited");
    expect(text).toContain("firm reference number 901096");
    expect(copy.links).toEqual([
      { label: "How to stop sharing", href: "/connections#stop-c1" },
      { label: "Reconsent's privacy notice", href: "/privacy" },
      { label: "Reconsent's terms", href: "/terms" },
      { label: "TrueLayer's end-user terms", href: TRUELAYER_TERMS_URL },
      { label: "TrueLayer's privacy policy", href: TRUELAYER_PRIVACY_URL },
    ]);
    expect(reconfirmCopy([mock, harbour], today).links[0]?.href).toBe("/connections");
    expect(copy.banks[0]?.accounts).toEqual(["Current account •••• 5678"]);
    expect(copy.banks[0]?.data).toContain("Balances");
  });

  it("has a stable hash that ignores the order connections are given in", () => {
    const a = copyHash(reconfirmCopy([mock, harbour], today));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(copyHash(reconfirmCopy([harbour, mock], today))).toBe(a);
    expect(reconfirmCopy([harbour, mock], today).heading).toBe("Keep sharing from 2 banks?");
  });

  it("changes its hash when anything the user reads changes", () => {
    const base = copyHash(reconfirmCopy([mock], today));
    expect(copyHash(reconfirmCopy([mock], new Date("2026-11-17T10:00:00Z")))).not.toBe(base);
    expect(copyHash(reconfirmCopy([{ ...mock, scopes: ["accounts"] }], today))).not.toBe(base);
    const renamed = { ...mock, accounts: [{ displayName: "Saver", maskedNumber: "•••• 5678" }] };
    expect(copyHash(reconfirmCopy([renamed], today))).not.toBe(base);
    expect(copyHash(reconfirmCopy([mock, harbour], today))).not.toBe(base);
  });

  it("names the deployer and its purpose and policies, and its hash changes with any of them", () => {
    const budgetly: Brand = {
      ...brand(),
      appName: "Budgetly",
      sharingPurpose: "So Budgetly can track your spending against your plan.",
      privacyUrl: "https://budgetly.example/privacy",
      termsUrl: "https://budgetly.example/terms",
    };
    const copy = reconfirmCopy([mock], today, budgetly);
    const text = JSON.stringify(copy);
    expect(text).not.toContain("Reconsent");
    expect(copy.summary).toContain("Budgetly can keep seeing the data below");
    expect(copy.points.find((p) => p.title === "Why")?.body).toBe(budgetly.sharingPurpose);
    expect(copy.points[0]?.body).toContain("on Budgetly's behalf");
    expect(copy.links).toContainEqual({
      label: "Budgetly's privacy notice",
      href: "https://budgetly.example/privacy",
    });
    const base = copyHash(reconfirmCopy([mock], today));
    expect(copyHash(copy)).not.toBe(base);
    for (const change of [
      { appName: "Budgetly" },
      { sharingPurpose: "So we can help you save." },
      { privacyUrl: "https://elsewhere.example/privacy" },
      { termsUrl: "https://elsewhere.example/terms" },
    ])
      expect(
        copyHash(reconfirmCopy([mock], today, { ...brand(), ...change })),
        JSON.stringify(change),
      ).not.toBe(base);
  });
});
