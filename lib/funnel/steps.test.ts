import { describe, expect, it } from "vitest";
import { PER_BANK_STEPS, SHORT_LABEL, shareOf } from "./steps";

describe("funnel figures", () => {
  it("a share is a whole percentage, and a dash when nobody was reminded", () => {
    expect(shareOf(1, 3)).toBe("33%");
    expect(shareOf(2, 3)).toBe("67%");
    expect(shareOf(0, 0)).toBe("–");
  });

  it("every per-bank step has a column heading", () => {
    for (const step of PER_BANK_STEPS) expect(SHORT_LABEL[step]).toBeTruthy();
  });
});
