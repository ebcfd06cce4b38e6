import { describe, expect, it } from "vitest";
import { isMalformedActionForm, mayCarryActionFields } from "./action-form";

const meta = JSON.stringify({ id: "7f00aa", bound: "$@1" });

describe("no-JavaScript action posts", () => {
  it("accepts React's own encoding and plain fields", () => {
    expect(
      isMalformedActionForm([
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", meta],
        ["$ACTION_1:1", "[{}]"],
        ["connectionId", "c1"],
      ]),
    ).toBe(false);
    expect(
      isMalformedActionForm([
        ["$ACTION_ID_7f00aa", ""],
        ["name", "Ada"],
      ]),
    ).toBe(false);
  });

  it("refuses parts React cannot decode", () => {
    for (const junk of ["", "zz", "x".repeat(10_000), '{"unterminated": ']) {
      expect(
        isMalformedActionForm([
          ["$ACTION_1:0", meta],
          ["$ACTION_1:1", junk],
        ]),
      ).toBe(true);
    }
    expect(isMalformedActionForm([["$ACTION_1:0", meta]])).toBe(true);
    expect(
      isMalformedActionForm([
        ["$ACTION_1:0", meta],
        ["$ACTION_1:1", '["$@9"]'],
      ]),
    ).toBe(true);
  });

  it("only looks at form posts to pages", () => {
    expect(mayCarryActionFields("POST", "multipart/form-data; boundary=x", "/reconfirm")).toBe(true);
    expect(mayCarryActionFields("POST", "application/x-www-form-urlencoded", "/settings")).toBe(true);
    expect(mayCarryActionFields("POST", "text/plain;charset=UTF-8", "/reconfirm")).toBe(false);
    expect(mayCarryActionFields("GET", "multipart/form-data", "/reconfirm")).toBe(false);
    expect(mayCarryActionFields("POST", "multipart/form-data", "/api/auth/callback/email")).toBe(false);
  });
});
