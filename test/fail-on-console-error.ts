import { afterEach, vi } from "vitest";

// House rule: an unexpected console.error fails the test that caused it.
const spy = vi.spyOn(console, "error");

afterEach(() => {
  const calls = spy.mock.calls.slice();
  spy.mockClear();
  if (calls.length > 0) {
    throw new Error(`unexpected console.error: ${calls.map((c) => c.map(String).join(" ")).join("\n")}`);
  }
});
