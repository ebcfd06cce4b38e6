import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientIpFrom } from "./client-ip";

describe("clientIpFrom: only what a trusted proxy wrote", () => {
  it("believes nothing when no proxy is trusted, whatever the client sends", () => {
    expect(clientIpFrom("203.0.113.7", 0)).toBeNull();
    expect(clientIpFrom("203.0.113.7, 10.0.0.1", 0)).toBeNull();
    expect(clientIpFrom(null, 0)).toBeNull();
  });

  it("takes the entry the trusted proxies appended, never one the client put before it", () => {
    // One trusted proxy (Vercel): it overwrites or appends the address it saw as the last entry.
    expect(clientIpFrom("203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientIpFrom("6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientIpFrom("6.6.6.6, 203.0.113.7, 10.0.0.1", 2)).toBe("203.0.113.7");
    expect(clientIpFrom("2001:DB8::1", 1)).toBe("2001:db8::1");
  });

  it("ignores anything that is not an address, or a chain shorter than the trusted hops", () => {
    expect(clientIpFrom("<script>", 1)).toBeNull();
    expect(clientIpFrom("unknown, 203.0.113.7", 2)).toBeNull();
    expect(clientIpFrom("203.0.113.7", 2)).toBeNull();
  });

  it("a client choosing any prefix cannot change the address behind one trusted hop", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.ipV4(), fc.string()), { maxLength: 5 }), (prefix) => {
        const header = [...prefix, "198.51.100.9"].join(", ");
        expect(clientIpFrom(header, 1)).toBe("198.51.100.9");
      }),
    );
  });
});

describe("clientIpOf: the setting the deployer stated", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function withEnv(vars: Record<string, string | undefined>) {
    vi.resetModules();
    for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
    return (await import("./client-ip")).clientIpOf;
  }

  it("reads only the platform's header when CLIENT_IP_HEADER names one, never X-Forwarded-For", async () => {
    const clientIpOf = await withEnv({ CLIENT_IP_HEADER: "Fly-Client-IP", TRUSTED_PROXY_HOPS: undefined });
    const sent = (entries: Record<string, string>) => clientIpOf(new Headers(entries));
    expect(sent({ "fly-client-ip": "203.0.113.7", "x-forwarded-for": "6.6.6.6" })).toBe("203.0.113.7");
    expect(sent({ "x-forwarded-for": "6.6.6.6" })).toBeNull();
    for (const odd of ["6.6.6.6, 203.0.113.7", "unknown", "", "203.0.113.7:443"])
      expect(sent({ "fly-client-ip": odd })).toBeNull();
  });

  it("counts trusted hops in X-Forwarded-For otherwise", async () => {
    const clientIpOf = await withEnv({ CLIENT_IP_HEADER: undefined, TRUSTED_PROXY_HOPS: "1" });
    expect(clientIpOf(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }))).toBe("203.0.113.7");
  });
});
