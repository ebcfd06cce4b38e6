import { describe, expect, it } from "vitest";
import { failureKind, failureLines, playwrightFailures, vitestFailures } from "./failed-tests.mjs";

describe("the failed tests a CI log ends with", () => {
  it("names each failed Vitest test by file and full name, and a file that failed to load", () => {
    const report = {
      testResults: [
        {
          name: "/repo/lib/a.test.ts",
          status: "failed",
          assertionResults: [
            { fullName: "custody holds", title: "holds", status: "failed", failureMessages: ["token abc"] },
            { fullName: "custody passes", title: "passes", status: "passed" },
          ],
        },
        { name: "/repo/lib/b.test.ts", status: "failed", assertionResults: [], message: "SyntaxError" },
        {
          name: "/repo/lib/c.test.ts",
          status: "passed",
          assertionResults: [{ fullName: "ok", status: "passed" }],
        },
      ],
    };
    expect(vitestFailures(report, "/repo")).toEqual([
      "lib/a.test.ts > custody holds",
      "lib/b.test.ts (did not run)",
    ]);
    expect(JSON.stringify(vitestFailures(report, "/repo"))).not.toContain("abc");
    expect(vitestFailures(undefined)).toEqual([]);
  });

  it("adds the kind of failure (a timeout, the error's class or matcher) but never the message", () => {
    const report = {
      testResults: [
        {
          name: "/repo/lib/a.test.ts",
          status: "failed",
          assertionResults: [
            {
              fullName: "slow",
              status: "failed",
              failureMessages: ["Error: Test timed out in 90000ms.\nIf this…"],
            },
            {
              fullName: "wrong",
              status: "failed",
              failureMessages: ["AssertionError: expected 'tok_secret' to be 'x'"],
            },
            { fullName: "odd", status: "failed", failureMessages: ["tok_secret went missing"] },
          ],
        },
      ],
    };
    const names = vitestFailures(report, "/repo");
    expect(names).toEqual([
      "lib/a.test.ts > slow (timed out after 90 s)",
      "lib/a.test.ts > wrong (AssertionError)",
      "lib/a.test.ts > odd",
    ]);
    expect(JSON.stringify(names)).not.toContain("tok_secret");
    expect(failureKind("Error: expect(locator).toBeVisible() failed\n\nLocator: getByText('tok')")).toBe(
      "expect(locator).toBeVisible",
    );
    expect(failureKind("Error: expect(received).not.toContain(expected)")).toBe(
      "expect(received).not.toContain",
    );
    // Playwright's form: colours, and the expectation's own message (which may quote a URL) first.
    expect(
      failureKind(
        "Error: http://x/confirm?token=tok loaded 2 times\n\n\u001b[2mexpect(\u001b[22m\u001b[31mreceived\u001b[39m\u001b[2m).\u001b[22mtoBe\u001b[2m(\u001b[22m",
      ),
    ).toBe("expect(received).toBe");
    expect(failureKind("Error: No sign-in mail reached tok_secret")).toBe("Error");
    expect(failureKind("Error: [check] the page loaded once\n\nexpect(received).toBe(expected)")).toBe(
      "the page loaded once",
    );
    expect(failureKind("Error: [check] sent to a@b.c?token=tok_secret\n")).toBe("Error");
    expect(failureKind(undefined)).toBeUndefined();
  });

  it("names each unexpected Playwright result by file, line and titles; flaky and skipped ones are not failures", () => {
    const report = {
      suites: [
        {
          title: "reconfirm.spec.ts",
          specs: [
            {
              title: "renews",
              file: "reconfirm.spec.ts",
              line: 12,
              tests: [{ status: "unexpected", results: [{ status: "timedOut" }] }],
            },
            { title: "flaky", file: "reconfirm.spec.ts", line: 20, tests: [{ status: "flaky" }] },
          ],
          suites: [
            {
              title: "reconfirmation",
              specs: [
                {
                  title: "back: failed",
                  file: "reconfirm.spec.ts",
                  line: 30,
                  tests: [{ status: "unexpected" }],
                },
                { title: "skipped", file: "reconfirm.spec.ts", line: 40, tests: [{ status: "skipped" }] },
              ],
            },
          ],
        },
      ],
    };
    expect(playwrightFailures(report)).toEqual([
      "reconfirm.spec.ts:12 > renews (timed out)",
      "reconfirm.spec.ts:30 > reconfirmation > back: failed",
    ]);
  });

  it("prints at most 20 lines of at most 200 characters", () => {
    const names = Array.from({ length: 25 }, (_, i) => `t${i} ${"x".repeat(300)}`);
    const lines = failureLines(names);
    expect(lines).toHaveLength(21);
    expect(lines[0]?.startsWith("failed: t0 ")).toBe(true);
    expect(lines.every((l) => l.length <= 200)).toBe(true);
    expect(lines[20]).toBe("failed: … and 5 more");
    expect(failureLines([])).toEqual([]);
  });
});
