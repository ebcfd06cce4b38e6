import { describe, expect, it } from "vitest";
import { copyHash, reconfirmCopy, wordingParameters } from "@/lib/connections/reconfirm/copy";
import { sha256Hex } from "@/lib/crypto/sha256";
import { rebuildWording, templateText, WORDING_TEMPLATE, WORDING_VERSION } from "./wording";

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
    expect(WORDING_VERSION).toBe(4);
    expect(sha256Hex(templateText(WORDING_TEMPLATE))).toBe(
      "209177c0f50524efd128650e32c6afc82fdce0977d5b0a2163532c143b0616f6",
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
    expect(reconfirmCopy(odd as typeof shown, today).heading).toBe("Keep sharing from {newExpiry} Bank?");
  });

  it("rebuilds an older version's words from its stored text, not from today's template", () => {
    const version2 = templateText(WORDING_TEMPLATE).replaceAll("Keep sharing from", "Keep sharing with");
    const { banks, ...rest } = wordingParameters(shown.slice(0, 1), today);
    const stored = { ...rest, banks: banks.map(({ accounts: _, ...b }) => b) };
    const accounts = Object.fromEntries(banks.map((b) => [b.connectionId, b.accounts]));
    expect(rebuildWording(version2, stored, accounts)?.heading).toBe("Keep sharing with Mock UK Bank?");
    expect(rebuildWording(templateText(WORDING_TEMPLATE), stored, accounts)?.heading).toBe(
      "Keep sharing from Mock UK Bank?",
    );
  });
});
