import { describe, expect, it } from "vitest";
import { firstParam, recordIds } from "./search-params";

describe("query parameters", () => {
  it("reads a repeated parameter by its first value, and a missing one as undefined", () => {
    expect(firstParam("/settings")).toBe("/settings");
    expect(firstParam(["/settings", "https://evil.test/"])).toBe("/settings");
    expect(firstParam([])).toBeUndefined();
    expect(firstParam(undefined)).toBeUndefined();
  });

  it("keeps only record ids, given once or repeated, and at most the limit", () => {
    expect(recordIds(undefined)).toEqual([]);
    expect(recordIds("c_1")).toEqual(["c_1"]);
    expect(recordIds(["c_1", "not an id", "c_2"])).toEqual(["c_1", "c_2"]);
    expect(recordIds(Array.from({ length: 30 }, (_, n) => `c_${n}`))).toHaveLength(20);
    expect(recordIds(["a", "b", "c"], 2)).toEqual(["a", "b"]);
  });
});
