import { describe, expect, it } from "vitest";
import { psuIpFrom } from "./psu-ip";

const headers = (values: Record<string, string>) => new Headers(values);

describe("psuIpFrom", () => {
  it("takes the first hop of X-Forwarded-For", () => {
    expect(psuIpFrom(headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
  });
  it("falls back to X-Real-IP", () => {
    expect(psuIpFrom(headers({ "x-real-ip": "2001:db8::1" }))).toBe("2001:db8::1");
  });
  it("ignores anything that is not an IP address", () => {
    expect(
      psuIpFrom(headers({ "x-forwarded-for": "<script>, 10.0.0.1", "x-real-ip": "unknown" })),
    ).toBeUndefined();
    expect(psuIpFrom(headers({}))).toBeUndefined();
  });
});
