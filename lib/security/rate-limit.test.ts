import { Prisma } from "@prisma/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setClockOffset } from "@/lib/clock";
import { createPrismaClient, sql } from "@/lib/db";
import { commitModeAfter } from "@/test/db";
import { type Integration, startIntegration } from "@/test/integration";
import { attemptStatement, checkRateLimit, countAttempt, pruneRateLimits, waitInWords } from "./rate-limit";

let it_: Integration;
beforeAll(async () => {
  it_ = await startIntegration();
});
afterAll(() => it_.close());
afterEach(() => setClockOffset(0));

const HOUR_MS = 3_600_000;
let n = 0;
const rule = (limit: number, windowSeconds = 3600) => ({
  scope: "test",
  key: `subject-${n++}-${Math.random()}`,
  limit,
  windowSeconds,
});

function atWindowOffset(windowMs: number, ms: number) {
  const real = Date.now();
  setClockOffset(Math.ceil(real / windowMs) * windowMs + ms - real);
}

describe("checkRateLimit", () => {
  it("allows `limit` attempts in a window, then refuses with the time left", async () => {
    atWindowOffset(HOUR_MS, 15 * 60_000);
    const r = rule(3);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await checkRateLimit(r));
    expect(results.map((x) => x.allowed)).toEqual([true, true, true, false, false]);
    expect(results[3]?.retryAfterSeconds).toBe(45 * 60);
  });

  it("starts counting again when the window rolls over", async () => {
    atWindowOffset(HOUR_MS, HOUR_MS - 1_000);
    const r = rule(2);
    await checkRateLimit(r);
    await checkRateLimit(r);
    const refused = await checkRateLimit(r);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
    atWindowOffset(HOUR_MS, HOUR_MS + 1_000);
    expect((await checkRateLimit(r)).allowed).toBe(true);
  });

  it("counts concurrent attempts exactly: exactly `limit` of 40 at once are allowed", async () => {
    const r = rule(10, 600);
    const results = await Promise.all(Array.from({ length: 40 }, () => checkRateLimit(r)));
    expect(results.filter((x) => x.allowed)).toHaveLength(10);
    const rows = await it_.prisma.rateLimit.findMany();
    expect(rows.some((row) => row.count === 40)).toBe(true);
  });

  it("keeps scopes and subjects apart, and stores neither in plain text", async () => {
    const r = rule(1);
    expect((await checkRateLimit(r)).allowed).toBe(true);
    expect((await checkRateLimit({ ...r, scope: "other" })).allowed).toBe(true);
    expect((await checkRateLimit({ ...r, key: `${r.key}x` })).allowed).toBe(true);
    expect((await checkRateLimit(r)).allowed).toBe(false);
    const keys = (await it_.prisma.rateLimit.findMany()).map((row) => row.key);
    expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
  });

  it("prunes windows that have ended", async () => {
    const r = rule(5);
    await checkRateLimit(r);
    setClockOffset(3 * HOUR_MS);
    const deleted = await pruneRateLimits(new Date(Date.now() + 2 * HOUR_MS));
    expect(deleted).toBeGreaterThan(0);
    expect(
      await it_.prisma.rateLimit.count({ where: { windowStart: { lt: new Date(Date.now() + HOUR_MS) } } }),
    ).toBe(0);
  });
});

describe("the counters' commits", () => {
  it("do not wait for the disk, and the next statement on the connection waits as before", async () => {
    const single = createPrismaClient(`${it_.db.url}&connection_limit=1`);
    try {
      expect(await commitModeAfter(attemptStatement(countAttempt(rule(5)).statement), single)).toBe("off");
      await sql(attemptStatement(countAttempt(rule(5)).statement), single);
      const { rows } = await sql<{ mode: string }>(
        Prisma.sql`SELECT current_setting('synchronous_commit') AS "mode"`,
        single,
      );
      expect(rows[0]?.mode).toBe("on");
    } finally {
      await single.$disconnect();
    }
  });
});

describe("helpers", () => {
  it("says how long to wait in whole minutes", () => {
    expect(waitInWords(1)).toBe("1 minute");
    expect(waitInWords(61)).toBe("2 minutes");
    expect(waitInWords(3600)).toBe("1 hour");
  });
});
