import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readStageTimes, recordStageTimes, STAGE_TIMES_FILE } from "./stage-times.mjs";

describe("npm test stage times", () => {
  it("keeps each stage's seconds and the total for the bench to read back", () => {
    const root = mkdtempSync(path.join(tmpdir(), "stage-times-"));
    expect(readStageTimes(root)).toBeNull();
    recordStageTimes(
      root,
      {
        setupSeconds: 2.04,
        results: [
          { stage: "typecheck", seconds: 30.26 },
          { stage: "unit", seconds: 300 },
        ],
        passed: 12,
        failed: 1,
      },
      new Date("2026-12-07T01:00:00Z"),
    );
    const read = readStageTimes(root);
    expect(read?.finishedAt).toBe("2026-12-07T01:00:00.000Z");
    expect(read?.stages).toEqual([
      { stage: "setup", seconds: 2 },
      { stage: "typecheck", seconds: 30.3 },
      { stage: "unit", seconds: 300 },
    ]);
    expect(read?.totalSeconds).toBe(332.3);
    expect([read?.passed, read?.failed]).toEqual([12, 1]);
  });

  it("reads a damaged file as no record", () => {
    const root = mkdtempSync(path.join(tmpdir(), "stage-times-"));
    recordStageTimes(root, { setupSeconds: 1, results: [], passed: 0, failed: 0 });
    writeFileSync(path.join(root, STAGE_TIMES_FILE), "{ not json");
    expect(readStageTimes(root)).toBeNull();
  });
});
