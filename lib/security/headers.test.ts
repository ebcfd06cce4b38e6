import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  isCanonicalPath,
  isCrossSitePagePost,
  originOf,
  routeHeaders,
  securityHeaders,
} from "./headers";

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

  it("leaves route handlers' own stricter CSP and Referrer-Policy in place", () => {
    for (const pathname of ["/callback", "/unsubscribe", "/api/health", "/api/auth/callback/email"]) {
      const headers = securityHeaders({ ...base, pathname });
      expect(headers["Referrer-Policy"], pathname).toBeUndefined();
      expect(headers["Content-Security-Policy"], pathname).toBeUndefined();
      expect(headers["X-Frame-Options"]).toBe("DENY");
    }
    expect(routeHeaders["Referrer-Policy"]).toBe("no-referrer");
    expect(routeHeaders["Content-Security-Policy"]).toContain("default-src 'none'");
  });

  it("pages send referrers only as far as their URL allows", () => {
    expect(securityHeaders({ ...base, pathname: "/connections" })["Referrer-Policy"]).toBe(
      "strict-origin-when-cross-origin",
    );
    // The confirmation page's URL holds a sign-in token: never to another origin.
    expect(securityHeaders({ ...base, pathname: "/signin/confirm" })["Referrer-Policy"]).toBe("same-origin");
    expect(
      securityHeaders({ ...base, pathname: "/callbacks-page" })["Content-Security-Policy"],
    ).toBeDefined();
  });

  it("refuses page posts another site sends, leaving route handlers to judge their own", () => {
    const app = "http://127.0.0.1:3000";
    const post = (pathname: string, fetchSite: string | null, origin: string | null) =>
      isCrossSitePagePost({ method: "POST", pathname, fetchSite, origin }, app);
    expect(post("/connections", "same-origin", app)).toBe(false);
    expect(post("/connections", null, app)).toBe(false);
    expect(post("/connections", null, null)).toBe(false);
    expect(post("/connections", "cross-site", "https://evil.example")).toBe(true);
    expect(post("/connections", "same-site", null)).toBe(true);
    expect(post("/connections", "none", null)).toBe(true);
    expect(post("/connections", null, "null")).toBe(true);
    expect(post("/connections", null, "https://evil.example")).toBe(true);
    expect(post("/callback", "cross-site", "https://bank.example")).toBe(false);
    expect(post("/unsubscribe", "cross-site", null)).toBe(false);
    expect(
      isCrossSitePagePost(
        { method: "GET", pathname: "/connections", fetchSite: "cross-site", origin: null },
        app,
      ),
    ).toBe(false);
  });

  it("accepts only plain paths", () => {
    for (const path of ["/", "/connections", "/connections/result/c_abc-1", "/api/auth/callback/email"]) {
      expect(isCanonicalPath(path), path).toBe(true);
    }
    for (const path of [
      "/api/auth/callback/%65mail",
      "/api/auth/callback/email/..%2Femail",
      "/api/auth/callback/./email",
      "/api/auth/callback/../callback/email",
      "//api/auth/callback/email",
      "/api\\auth",
      "/callback/..",
      "/callback/.",
      "/call%62ack",
      "/a\tb",
      "/a b",
    ]) {
      expect(isCanonicalPath(path), path).toBe(false);
    }
  });

  it("reads origins defensively", () => {
    expect(originOf("http://127.0.0.1:3001/path?x=1")).toEqual(["http://127.0.0.1:3001"]);
    expect(originOf("not a url")).toEqual([]);
    expect(originOf(undefined)).toEqual([]);
  });
});
