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
    expect(errorsFor("Jamie\u0000Example")).toEqual([
      "Your name contains an invisible control character (U+0000), which we can't use. Please delete it.",
    ]);
    expect(errorsFor("Jamie\u200eExample")).toEqual([
      "Your name contains a left-to-right mark (U+200E), which we can't use. Please delete it.",
    ]);
  });

  it("accepts what real names contain: NFC, and joiners between letters (issue 29 item 11)", () => {
    expect(FullName.parse("پریا نیک\u200cزاد")).toBe("پریا نیک\u200cزاد");
    expect(FullName.parse("Ama\u0301lie Zoe\u0308")).toBe("Amálie Zoë");
    expect(FullName.parse("Ama\u0301lie Zoe\u0308")).toBe("Amálie Zoë".normalize("NFC"));
    expect(FullName.parse("ശ്\u200dരീ Nair")).toBe("ശ്\u200dരീ Nair");
  });

  it("refuses bidirectional controls, stray joiners and emoji, naming the character", () => {
    expect(errorsFor("Priya \u202eNik")).toEqual([
      "Your name contains a right-to-left override (U+202E), which we can't use. Please delete it.",
    ]);
    expect(errorsFor("Priya\u2067 Nik")).toEqual([
      "Your name contains a right-to-left isolate (U+2067), which we can't use. Please delete it.",
    ]);
    expect(errorsFor("Priya \u200cNik")).toEqual([
      "Your name contains a zero-width non-joiner (U+200C) that is not between two letters. Please delete it.",
    ]);
    expect(errorsFor("Sam 👩\u200d💻 Lee")).toEqual([
      "Your name contains an emoji, “👩\u200d💻”. Your bank holds your name without emoji, so we can't use it.",
    ]);
    expect(errorsFor("Sam 🇬🇧")).toEqual([
      "Your name contains an emoji, “🇬🇧”. Your bank holds your name without emoji, so we can't use it.",
    ]);
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
