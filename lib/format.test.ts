import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatMoney } from "./format";

describe("dates shown to users", () => {
  it("are long British dates", () => {
    expect(formatDate(new Date("2027-02-14T12:00:00Z"))).toBe("14 February 2027");
  });

  it("fall on the London calendar day, in summer time too", () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST).
    expect(formatDate(new Date("2027-06-30T23:30:00Z"))).toBe("1 July 2027");
    expect(formatDateTime(new Date("2027-06-30T23:30:00Z"))).toBe("1 July 2027 at 00:30 BST");
    expect(formatDateTime(new Date("2027-01-15T09:30:00Z"))).toBe("15 January 2027 at 09:30 GMT");
    expect(formatDate(new Date("2027-01-31T23:30:00Z"))).toBe("31 January 2027");
  });
});

describe("amounts shown to users", () => {
  it("are in their own currency, with one formatter kept per currency", () => {
    expect(formatMoney("1234.5", "GBP")).toBe("£1,234.50");
    expect(formatMoney("-3", "EUR")).toBe("-€3.00");
    expect(formatMoney("1234.5", "GBP")).toBe("£1,234.50");
  });
});
