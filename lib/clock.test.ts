import { afterEach, describe, expect, it, vi } from "vitest";
import { PRODUCTION_ENV } from "@/test/env-fixture";
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

  it("refuses to move in production, as lib/env.ts judges the mode", async () => {
    const fresh = async (vars: Record<string, string | undefined>) => {
      vi.resetModules();
      vi.unstubAllEnvs();
      for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
      return (await import("./clock")).setClockOffset;
    };
    // Production needs production values; the mode is what is under test, so give them.
    const production = {
      ...PRODUCTION_ENV,
      RECONSENT_MODE: "production",
      CLOCK_FILE: undefined,
      TRUELAYER_AUTH_URL: undefined,
      TRUELAYER_API_URL: undefined,
    };
    const inProduction = await fresh(production);
    expect(() => inProduction(1000)).toThrow(/cannot be moved in production/);
    const inTest = await fresh({
      RECONSENT_MODE: "test",
      APP_URL: "http://127.0.0.1:3999",
      TRUELAYER_TARGET: "simulator",
    });
    expect(() => inTest(1000)).not.toThrow();
    inTest(0);
  });

  it("adds days", () => {
    expect(addDays(new Date("2026-11-16T00:00:00Z"), 90).toISOString()).toBe("2027-02-14T00:00:00.000Z");
  });
});
