import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, originOf, securityHeaders } from "./headers";

const base = {
  nonce: "bm9uY2U=",
  development: false,
  production: false,
  formOrigins: ["http://127.0.0.1:3001"],
  imageOrigins: ["http://127.0.0.1:3001"],
};

describe("security headers", () => {
  it("allows no inline script except with the request's nonce, and no framing", () => {
    const csp = contentSecurityPolicy(base);
    expect(csp).toContain("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://127.0.0.1:3001");
    expect(contentSecurityPolicy({ ...base, development: true })).toContain("'unsafe-eval'");
  });

  it("adds HSTS and https-only navigation in production only", () => {
    expect(securityHeaders({ ...base, pathname: "/" })["Strict-Transport-Security"]).toBeUndefined();
    const prod = securityHeaders({ ...base, production: true, pathname: "/" });
    expect(prod["Strict-Transport-Security"]).toContain("max-age=63072000");
    expect(prod["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
  });

  it("sends no referrer from the callback, where the URL holds the bank's code", () => {
    expect(securityHeaders({ ...base, pathname: "/callback" })["Referrer-Policy"]).toBe("no-referrer");
    expect(securityHeaders({ ...base, pathname: "/connections" })["Referrer-Policy"]).toBe(
      "strict-origin-when-cross-origin",
    );
  });

  it("reads origins defensively", () => {
    expect(originOf("http://127.0.0.1:3001/path?x=1")).toEqual(["http://127.0.0.1:3001"]);
    expect(originOf("not a url")).toEqual([]);
    expect(originOf(undefined)).toEqual([]);
  });
});
