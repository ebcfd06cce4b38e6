import { describe, expect, it } from "vitest";
import { signInRefusal } from "./sign-in-origin";

const app = "https://reconsent.example";
const post = (origin: string | null, fetchSite: string | null = null) =>
  signInRefusal({ method: "POST", origin, fetchSite }, app);

describe("signInRefusal", () => {
  it("lets our own confirmation page's POST through", () => {
    expect(post(app, "same-origin")).toBeNull();
    expect(post("null", "same-origin")).toBeNull();
    expect(post(app)).toBeNull();
  });

  it("refuses a POST from another site, or one whose origin it cannot tell", () => {
    expect(post("https://evil.example", "cross-site")).toBe(403);
    expect(post("https://evil.reconsent.example", "same-site")).toBe(403);
    expect(post(app, "none")).toBe(403);
    expect(post("null", "cross-site")).toBe(403);
    expect(post("https://evil.example")).toBe(403);
    expect(post("http://reconsent.example")).toBe(403);
    expect(post("null")).toBe(403);
    expect(post(null)).toBe(403);
  });

  it("refuses the link on any other method", () => {
    for (const method of ["GET", "HEAD", "PUT"]) {
      expect(signInRefusal({ method, origin: app, fetchSite: "same-origin" }, app)).toBe(405);
    }
  });
});
