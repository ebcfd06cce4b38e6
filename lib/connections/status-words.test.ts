import { describe, expect, it } from "vitest";
import {
  balancesKeptFor,
  bankList,
  connectionWords,
  dueHeadline,
  sharingContinues,
  statusDetail,
  statusLabel,
  statusLine,
} from "./status-words";

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
      "Sharing from Monzo and Lloyds: renew by 3 January 2027. Sharing from NatWest: paused since 1 December 2026",
    );
    expect(
      dueHeadline([
        { providerName: "NatWest", facts: { state: "lapsed", consentExpiresAt: jan9 } },
        { providerName: "Lloyds", facts: { state: "lapsed", consentExpiresAt: jan3 } },
      ]),
    ).toBe("Sharing from Lloyds and NatWest: paused since 3 January 2027");
    const a = { providerName: "A", facts: { state: "expiring" as const, consentExpiresAt: jan9 } };
    const b = { providerName: "B", facts: { state: "expiring" as const, consentExpiresAt: jan3 } };
    expect(dueHeadline([a, b])).toBe(dueHeadline([b, a]));
    expect(dueHeadline([a, b])).toBe("Sharing from B and A: renew by 3 January 2027");
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

describe("connectionWords: everything said about a connection, from its stored facts and now", () => {
  const created = new Date("2026-10-05T12:00:00Z");
  const expires = new Date("2027-01-03T12:00:00Z");
  const stored = {
    providerName: "NatWest",
    status: "ACTIVE" as const,
    consentCreatedAt: created,
    consentExpiresAt: expires,
  };
  const on = (iso: string) => new Date(iso);

  it("active: sharing until the end of consent", () => {
    expect(connectionWords(stored, on("2026-11-01T12:00:00Z"), "Budgetly")).toEqual({
      state: "active",
      tone: "ok",
      label: "Active",
      detail: "Sharing until 3 January 2027.",
      line: "Sharing from NatWest: active",
      access: "Active. Sharing until 3 January 2027.",
      period: "consent from 5 October 2026 to 3 January 2027",
      kept: balancesKeptFor("active"),
    });
  });

  it("due: renew by the end of consent, within 14 days of it", () => {
    const words = connectionWords(stored, on("2026-12-29T12:00:00Z"), "Budgetly");
    expect(words).toMatchObject({
      state: "expiring",
      tone: "warn",
      label: "Renew by 3 January 2027",
      detail: "Sharing stops on 3 January 2027 unless you renew.",
      line: "Sharing from NatWest: renew by 3 January 2027",
      period: "consent from 5 October 2026 to 3 January 2027",
    });
  });

  it("lapsed (paused): the stored flag still says ACTIVE, the words never do (issue 29)", () => {
    const words = connectionWords(stored, on("2027-01-20T12:00:00Z"), "Budgetly");
    expect(words).toMatchObject({
      state: "lapsed",
      tone: "alert",
      label: "Paused since 3 January 2027",
      detail: "Budgetly can't see this bank's data until you renew. You can still renew here.",
      line: "Sharing from NatWest: paused since 3 January 2027",
      period: "consent from 5 October 2026, ended 3 January 2027",
    });
    expect(JSON.stringify(words)).not.toMatch(/active/i);
  });

  it("bank trip pending: needs your bank", () => {
    const words = connectionWords({ ...stored, status: "NEEDS_BANK_AUTH" }, on("2026-11-01T12:00:00Z"), "B");
    expect(words).toMatchObject({
      state: "needs_bank",
      label: "Needs your bank",
      line: "Sharing from NatWest: needs your bank",
      detail:
        "Your bank needs you to confirm it's you before B can see its data again. Your consent runs until 3 January 2027.",
    });
    // Nothing can be read until the bank has seen the user again: never "sharing until".
    expect(JSON.stringify(words)).not.toMatch(/sharing until/i);
  });

  it("stopped (or declined): when, and that nothing is kept", () => {
    const stoppedAt = new Date("2026-11-20T09:00:00Z");
    const words = connectionWords(
      { ...stored, status: "REVOKED", stoppedAt },
      on("2026-12-01T12:00:00Z"),
      "B",
    );
    expect(words).toMatchObject({
      state: "revoked",
      tone: "off",
      label: "Stopped by you on 20 November 2026",
      detail: "B no longer sees data from this bank.",
      period: "consent from 5 October 2026 until you stopped it on 20 November 2026",
      kept: "None: erased when sharing from this bank stopped.",
    });
    expect(connectionWords({ ...stored, status: "REVOKED" }, on("2027-02-01T12:00:00Z"), "B").label).toBe(
      "Stopped by you",
    );
  });

  it("renewed: the result says sharing continues until the new end, as the card's detail does", () => {
    const renewed = { ...stored, consentExpiresAt: new Date("2027-03-04T12:00:00Z") };
    expect(sharingContinues("NatWest", renewed.consentExpiresAt)).toBe(
      "NatWest: sharing continues until 4 March 2027",
    );
    expect(connectionWords(renewed, on("2026-12-04T12:00:00Z"), "B").detail).toBe(
      "Sharing until 4 March 2027.",
    );
  });
});
