import { describe, expect, it } from "vitest";
import { STEP_UP_MS, signedInRecently, stepUpPath } from "./step-up";

describe("step-up (issue 27 item 6)", () => {
  const at = Date.parse("2026-12-06T12:00:00Z");
  it("counts a sign-in as recent for ten minutes only", () => {
    expect(STEP_UP_MS).toBe(10 * 60 * 1000);
    expect(signedInRecently({ signedInAt: new Date(at - STEP_UP_MS + 1000) }, at)).toBe(true);
    expect(signedInRecently({ signedInAt: new Date(at - STEP_UP_MS) }, at)).toBe(false);
    expect(signedInRecently({ signedInAt: new Date(at - 3 * 60 * 60 * 1000) }, at)).toBe(false);
  });
  it("returns to the same place after the fresh link", () => {
    expect(stepUpPath("/settings/data")).toBe("/signin/again?callbackUrl=%2Fsettings%2Fdata");
  });
});
