import { describe, expect, it } from "vitest";
import { duplicateWarning, sameBankElsewhere } from "./duplicates";

const row = (id: string, providerId: string, status = "ACTIVE") => ({
  id,
  providerId,
  providerName: providerId === "mock" ? "Mock UK Bank" : "Other Bank",
  status,
});

describe("a second connection to the same bank (issue 29 item 12)", () => {
  const made = row("new", "mock");

  it("counts only the user's other live connections to that bank", () => {
    const all = [made, row("old", "mock"), row("stopped", "mock", "REVOKED"), row("else", "other")];
    expect(sameBankElsewhere(made, all).map((c) => c.id)).toEqual(["old"]);
    expect(sameBankElsewhere(made, [made, row("stopped", "mock", "REVOKED")])).toEqual([]);
  });

  it("says plainly that there are now two, and what to do, without blocking", () => {
    expect(duplicateWarning("Mock UK Bank", 0)).toBeUndefined();
    expect(duplicateWarning("Mock UK Bank", 1)).toBe(
      "You were already sharing from Mock UK Bank, so you now have 2 connections to it, each with its own card. If you don't need both, stop sharing from the one you don't need on your connections page.",
    );
  });
});
