import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackUrl("/settings")).toBe("/settings");
    expect(safeCallbackUrl("/connections?tab=all#x")).toBe("/connections?tab=all#x");
    expect(safeCallbackUrl("http://127.0.0.1:3000/settings", "http://127.0.0.1:3000")).toBe("/settings");
  });

  it("never leaves the site", () => {
    for (const raw of [
      "https://evil.test/",
      "//evil.test/x",
      "/\\evil.test",
      "\\\\evil.test",
      "/%0d%0a//evil.test".replace("%0d%0a", "\r\n"),
      "javascript:alert(1)",
      "evil.test",
      "http://127.0.0.1:3000.evil.test/x",
      "",
      undefined,
      42,
    ]) {
      expect(safeCallbackUrl(raw, "http://127.0.0.1:3000")).toBe(DEFAULT_AFTER_SIGN_IN);
    }
  });

  it("does not loop back into sign-in", () => {
    expect(safeCallbackUrl("/signin")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl("/signin/confirm?token=x")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl("/api/auth/signout")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl("/signing-up-is-fine")).toBe("/signing-up-is-fine");
  });
});
