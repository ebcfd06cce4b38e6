import { afterEach, describe, expect, it, vi } from "vitest";

const headers = (values: Record<string, string>) => new Headers(values);

async function psuIpWith(hops: string) {
  vi.resetModules();
  vi.stubEnv("TRUSTED_PROXY_HOPS", hops);
  return (await import("./psu-ip")).psuIpFrom;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("psuIpFrom", () => {
  it("sends the address the trusted proxy reported", async () => {
    const psuIpFrom = await psuIpWith("1");
    expect(psuIpFrom(headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }))).toBe("203.0.113.7");
  });
  it("sends nothing the client chose, or anything that is not an address", async () => {
    expect((await psuIpWith("0"))(headers({ "x-forwarded-for": "203.0.113.7" }))).toBeUndefined();
    const trusting = await psuIpWith("1");
    expect(trusting(headers({ "x-forwarded-for": "<script>" }))).toBeUndefined();
    expect(trusting(headers({}))).toBeUndefined();
  });
});
