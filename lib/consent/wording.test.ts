import { describe, expect, it } from "vitest";
import { copyHash, reconfirmCopy, wordingParameters } from "@/lib/connections/reconfirm/copy";
import { rebuildWording, sha256Hex, templateText, WORDING_TEMPLATE, WORDING_VERSION } from "./wording";

const today = new Date("2026-11-16T10:00:00Z");
const shown = [
  {
    id: "c1",
    providerName: "Mock UK Bank",
    scopes: ["info", "accounts", "balance", "offline_access"],
    accounts: [
      { displayName: "Saver", maskedNumber: null },
      { displayName: "Current account", maskedNumber: "•••• 5678" },
    ],
  },
  { id: "c2", providerName: "Harbour Building Society", scopes: ["accounts"], accounts: [] },
];

describe("the stored consent wording", () => {
  it("is pinned per version: change the words, bump WORDING_VERSION and this hash", () => {
    expect(WORDING_VERSION).toBe(2);
    expect(sha256Hex(templateText(WORDING_TEMPLATE))).toBe(
      "d28f5d3efb8d96fc8d5398934bb8f0579505cd8a6f5ccce5142bb1c218884b35",
    );
  });

  it("rebuilds the exact words, and so the hash, from the template text and the stored parameters", () => {
    const { banks, ...rest } = wordingParameters(shown, today);
    const stored = { ...rest, banks: banks.map(({ accounts: _, ...b }) => b) };
    const accounts = Object.fromEntries(banks.map((b) => [b.connectionId, b.accounts]));
    const rebuilt = rebuildWording(
      templateText(WORDING_TEMPLATE),
      JSON.parse(JSON.stringify(stored)),
      accounts,
    );
    expect(rebuilt).toEqual(reconfirmCopy(shown, today));
    expect(rebuilt && copyHash(rebuilt)).toBe(copyHash(reconfirmCopy(shown, today)));
    expect(rebuildWording(templateText(WORDING_TEMPLATE), stored, null)).toBeNull();
  });

  it("fills placeholders from the template only, never from a bank's own name", () => {
    const odd = [{ ...shown[1], id: "c3", providerName: "{newExpiry} Bank", accounts: [] }];
    expect(reconfirmCopy(odd as typeof shown, today).heading).toBe("Keep sharing with {newExpiry} Bank?");
  });
});
