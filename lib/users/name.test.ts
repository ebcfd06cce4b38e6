import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FullName, UpdateNameInput } from "./name";

function errorsFor(input: unknown): string[] {
  const result = FullName.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe("FullName", () => {
  it("tidies whitespace and keeps names of every shape", () => {
    expect(FullName.parse("  Jamie   Example ")).toBe("Jamie Example");
    for (const name of ["Cher", "Siân O'Brien-Ó Dálaigh", "李小龍", "Jo", "Jean-Luc Picard III"]) {
      expect(FullName.parse(name)).toBe(name);
    }
  });

  it("gives one clear message for an empty name", () => {
    expect(errorsFor("   ")).toEqual(["Enter your full name."]);
    expect(errorsFor(undefined)).toEqual(["Enter your full name."]);
  });

  it("refuses too short, too long, letterless and control characters", () => {
    expect(errorsFor("J")).toEqual(["Your name needs at least 2 characters."]);
    expect(errorsFor("a".repeat(101))).toEqual(["Your name can be at most 100 characters."]);
    expect(errorsFor("12 34")).toEqual(["Your name needs at least one letter."]);
    expect(errorsFor("Jamie\u0000Example")).toEqual(["Your name contains characters we cannot use."]);
    expect(errorsFor("Jamie\u200eExample")).toEqual(["Your name contains characters we cannot use."]);
  });
});

describe("UpdateNameInput", () => {
  it("continues only to a path on this site", () => {
    expect(UpdateNameInput.parse({ name: "Jamie Example" }).next).toBeUndefined();
    expect(UpdateNameInput.parse({ name: "Jamie Example", next: "/reconfirm?x=1" }).next).toBe(
      "/reconfirm?x=1",
    );
    expect(UpdateNameInput.parse({ name: "Jamie Example", next: "https://evil.test" }).next).toBe(
      "/connections",
    );
    expect(UpdateNameInput.parse({ name: "Jamie Example", next: "//evil.test" }).next).toBe("/connections");
  });

  it("reports the name's problems per field", () => {
    const bad = UpdateNameInput.safeParse({ name: "" });
    expect(bad.success).toBe(false);
    if (!bad.success)
      expect(z.flattenError(bad.error).fieldErrors).toEqual({ name: ["Enter your full name."] });
  });
});
