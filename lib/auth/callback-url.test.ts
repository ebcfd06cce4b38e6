import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeCallbackUrl } from "./callback-url";

const APP = "http://127.0.0.1:3000";

describe("safeCallbackUrl", () => {
  it("keeps our own signed-in pages", () => {
    expect(safeCallbackUrl("/settings")).toBe("/settings");
    expect(safeCallbackUrl("/connections?tab=all#x")).toBe("/connections?tab=all#x");
    expect(safeCallbackUrl("/reconfirm?c=a&c=b", APP)).toBe("/reconfirm?c=a&c=b");
    expect(safeCallbackUrl(`${APP}/settings`, APP)).toBe("/settings");
    expect(safeCallbackUrl("/connections/../settings", APP)).toBe("/settings");
  });

  it("never leaves the site", () => {
    for (const raw of [
      "https://evil.test/",
      "//evil.test/x",
      "/.//evil.example/x",
      "/././/evil.example",
      "/a/..//evil.example",
      "/connections/..//evil.example",
      "/\\evil.test",
      "\\\\evil.test",
      "/\t/evil.test",
      "/%2F%2Fevil.test",
      "/%2e/%2e//evil.test",
      "/\r\n//evil.test",
      "javascript:alert(1)",
      "evil.test",
      `${APP}.evil.test/x`,
      `${APP}@evil.test/x`,
      "http://user@127.0.0.1:3000/settings",
      "",
      undefined,
      42,
    ]) {
      expect(safeCallbackUrl(raw, APP), String(raw)).toBe(DEFAULT_AFTER_SIGN_IN);
    }
  });

  it("does not lead into sign-in, next-auth or pages outside the list", () => {
    expect(safeCallbackUrl("/signin")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl("/signin/confirm?token=x")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl("/api/auth/signout")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl("/callback?code=x")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl("/connectionsevil")).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("whatever it is given, it answers a path on this site that the browser cannot read as another host", () => {
    const pieces = fc.constantFrom(
      "/",
      "//",
      "/./",
      "/../",
      ".",
      "..",
      "\\",
      "%2f",
      "%2F",
      "%5c",
      "%2e",
      "\t",
      "\n",
      "@",
      ":",
      "?",
      "#",
      "evil.example",
      "connections",
      "settings",
      "http:",
      "https://",
      "127.0.0.1:3000",
      " ",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 8 }), (parts) => {
        const out = safeCallbackUrl(parts.join(""), APP);
        const resolved = new URL(out, APP);
        expect(resolved.origin).toBe(APP);
        expect(out.startsWith("/")).toBe(true);
        expect(out.startsWith("//") || out.startsWith("/\\")).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
