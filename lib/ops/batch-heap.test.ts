import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BATCH_HEAP_FLAGS } from "./batch-heap";

// Set after start-up (scripts/ops-entry.ts): checks their effect on this Node's V8, not the call.
function youngGenerationAfterGarbage(flags: readonly string[]): number {
  const script = `
    const v8 = require("node:v8");
    for (const f of ${JSON.stringify(flags)}) v8.setFlagsFromString(f);
    let keep = [];
    for (let i = 0; i < 2e6; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 5000) keep = []; }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    process.stdout.write(String(space.space_size));`;
  return Number(
    execFileSync(process.execPath, ["-e", script], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    }),
  );
}

describe("the operator commands' heap bound", () => {
  it("keeps V8's young generation at its starting size where the default doubles it", () => {
    const bounded = youngGenerationAfterGarbage(BATCH_HEAP_FLAGS);
    const unbounded = youngGenerationAfterGarbage([]);
    expect(bounded).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(unbounded).toBeGreaterThan(2 * bounded);
  });
});
