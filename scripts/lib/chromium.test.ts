import { describe, expect, it } from "vitest";
import { type ChromiumFacts, chromiumPlan, ensureChromium } from "./chromium.mjs";

const none: ChromiumFacts = { found: null, isRoot: false, passwordlessSudo: false, hasAptGet: true };

describe("chromiumPlan: what npm test does about the browser", () => {
  it("uses a Chromium that is there", () => {
    expect(chromiumPlan({ ...none, found: "/usr/bin/chromium" })).toEqual({
      kind: "found",
      path: "/usr/bin/chromium",
    });
  });

  it("installs with apt-get as root, and through passwordless sudo otherwise", () => {
    expect(chromiumPlan({ ...none, isRoot: true })).toMatchObject({
      kind: "install",
      commands: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "chromium"],
      ],
    });
    expect(chromiumPlan({ ...none, passwordlessSudo: true })).toMatchObject({
      kind: "install",
      commands: [
        ["sudo", "-n", "apt-get", "update", "-qq"],
        ["sudo", "-n", "apt-get", "install", "-y", "-qq", "chromium"],
      ],
    });
  });

  it("cannot install without root or passwordless sudo, or without apt-get, and says what to run", () => {
    expect(chromiumPlan(none)).toEqual({ kind: "cannot", advice: "sudo apt-get install -y chromium" });
    expect(chromiumPlan({ ...none, isRoot: true, hasAptGet: false })).toMatchObject({
      kind: "cannot",
      advice: expect.stringContaining("CHROMIUM_PATH"),
    });
  });
});

describe("ensureChromium (no real install: the runner is recorded)", () => {
  function harness(facts: ChromiumFacts, status = 0, after: string | null = "/usr/bin/chromium") {
    const ran: string[] = [];
    const said: string[] = [];
    const result = ensureChromium({
      facts,
      run: (command, args) => {
        ran.push([command, ...args].join(" "));
        return status;
      },
      recheck: () => after,
      say: (line) => said.push(line),
      logFile: "/tmp/apt.log",
    });
    return { result, ran, said };
  }

  it("installs, printing one line that says so and where the log is", () => {
    const { result, ran, said } = harness({ ...none, isRoot: true });
    expect(result).toEqual({ path: "/usr/bin/chromium" });
    expect(ran).toEqual(["apt-get update -qq", "apt-get install -y -qq chromium"]);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/installing Debian's chromium .*\(log: \/tmp\/apt\.log\)/);
  });

  it("runs nothing when Chromium is there, and stops with the exact command when it cannot install", () => {
    expect(harness({ ...none, found: "/x/chromium" })).toMatchObject({
      result: { path: "/x/chromium" },
      ran: [],
    });
    const cannot = harness(none);
    expect(cannot.ran).toEqual([]);
    expect(cannot.result.problem).toContain("Run: sudo apt-get install -y chromium");
  });

  it("a failed install stops with the log and the command", () => {
    const { result, ran } = harness({ ...none, passwordlessSudo: true }, 100);
    expect(ran).toHaveLength(1);
    expect(result.problem).toMatch(/failed \(see \/tmp\/apt\.log\)\. Run: sudo apt-get install -y chromium/);
  });
});
