import { describe, expect, it } from "vitest";
import { signInRefusal } from "./sign-in-origin";

const app = "https://reconsent.example";
const post = (origin: string | null, fetchSite: string | null = null) =>
  signInRefusal({ method: "POST", pathname: "/api/auth/callback/email", origin, fetchSite }, app);

describe("signInRefusal", () => {
  it("lets our own confirmation page's POST through", () => {
    expect(post(app, "same-origin")).toBeNull();
    expect(post("null", "same-origin")).toBeNull();
    expect(post(app)).toBeNull();
    expect(post(null)).toBeNull();
  });

  it("refuses a POST from another site", () => {
    expect(post("https://evil.example", "cross-site")).toBe(403);
    expect(post("https://evil.reconsent.example", "same-site")).toBe(403);
    expect(post("null", "cross-site")).toBe(403);
    expect(post("https://evil.example")).toBe(403);
    expect(post("http://reconsent.example")).toBe(403);
  });

  it("refuses the link on GET, and leaves every other path alone", () => {
    expect(
      signInRefusal(
        { method: "GET", pathname: "/api/auth/callback/email", origin: null, fetchSite: "none" },
        app,
      ),
    ).toBe(405);
    expect(
      signInRefusal(
        { method: "POST", pathname: "/connections", origin: "https://evil.example", fetchSite: null },
        app,
      ),
    ).toBeNull();
  });
});
