import { describe, expect, it } from "vitest";
import { stepUpWhat } from "./step-up-words";

describe("stepUpWhat", () => {
  it("names the page that asks for a fresh sign-in", () => {
    expect(stepUpWhat("/settings/data")).toBe("See or download your data");
    expect(stepUpWhat("/settings/delete")).toBe("Delete your account");
    expect(stepUpWhat("/operator/audit")).toBe("Operator pages");
    expect(stepUpWhat("/connections")).toBe("This page");
  });
});
