import { afterEach, describe, expect, it, vi } from "vitest";
import { addDays, now, setClockOffset } from "./clock";

afterEach(() => {
  setClockOffset(0);
  vi.unstubAllEnvs();
});

describe("clock", () => {
  it("is the real time until moved, and moves by whole days in tests", () => {
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(1000);
    setClockOffset(80 * 24 * 3600 * 1000);
    expect(Math.round((now().getTime() - Date.now()) / 86_400_000)).toBe(80);
  });

  it("refuses to move in production", () => {
    vi.stubEnv("RECONSENT_MODE", undefined);
    vi.stubEnv("NODE_ENV", "production");
    expect(() => setClockOffset(1000)).toThrow(/cannot be moved in production/);
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("VERCEL", "1");
    expect(() => setClockOffset(1000)).toThrow(/cannot be moved in production/);
    vi.stubEnv("VERCEL", undefined);
    vi.stubEnv("RECONSENT_MODE", "test");
    expect(() => setClockOffset(1000)).not.toThrow();
  });

  it("adds days", () => {
    expect(addDays(new Date("2026-11-16T00:00:00Z"), 90).toISOString()).toBe("2027-02-14T00:00:00.000Z");
  });
});
