import { describe, expect, it } from "vitest";
import { firstParam } from "./search-params";

describe("firstParam", () => {
  it("reads a repeated parameter by its first value, and a missing one as undefined", () => {
    expect(firstParam("/settings")).toBe("/settings");
    expect(firstParam(["/settings", "https://evil.test/"])).toBe("/settings");
    expect(firstParam([])).toBeUndefined();
    expect(firstParam(undefined)).toBeUndefined();
  });
});
