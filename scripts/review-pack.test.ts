import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WORDING_VERSION } from "@/lib/consent/wording";

// The committed pack is what TrueLayer reviews: a new wording version must come with notes that say so
// and a pack regenerated from them (`npm run review-pack`).
const root = path.resolve(import.meta.dirname, "..");
const changes = readFileSync(path.join(root, "review-pack", "changes.md"), "utf8");
const pack = path.join(root, "docs", "review-pack");

describe("the review pack", () => {
  it("says what changed for the current wording version", () => {
    expect(changes).toContain(`Wording version ${WORDING_VERSION}.`);
  });

  it("was regenerated after its notes were written", () => {
    expect(readFileSync(path.join(pack, "README.md"), "utf8")).toContain(changes.trim());
  });

  it("has both widths of every screen the notes name", () => {
    const named = [...changes.matchAll(/\*\*(\d\d)\*\*/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const id of named) {
      for (const width of [360, 1280]) {
        const file = readFileSync(path.join(pack, "README.md"), "utf8").match(
          new RegExp(`\\((${id}-[a-z0-9-]+-${width}\\.png)\\)`),
        )?.[1];
        expect(file && existsSync(path.join(pack, file)), `${id} at ${width} px`).toBe(true);
      }
    }
  });
});
