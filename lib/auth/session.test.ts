import { describe, expect, it } from "vitest";
import { commitModeAfter, appDb as db, withAppDatabase } from "@/test/db";
import { SESSION_IDLE_MS, SESSION_MAX_AGE_S, sessionLookupStatement, TOUCH_EVERY_MS } from "./queries";
import { userForSessionToken } from "./session";

withAppDatabase();

async function session(user: { email: string | null; name?: string }, expiresInMs: number) {
  const { id } = await db.prisma.user.create({ data: { email: user.email, name: user.name ?? null } });
  const sessionToken = `token-${id}`;
  await db.prisma.session.create({
    data: { sessionToken, userId: id, expires: new Date(Date.now() + expiresInMs) },
  });
  return { id, sessionToken };
}

describe("userForSessionToken (every page's and action's session lookup)", () => {
  it("gives the session's user while the session lasts", async () => {
    const { id, sessionToken } = await session({ email: "ses@example.test", name: "Ses Sion" }, 60_000);
    expect(await userForSessionToken(sessionToken)).toEqual({
      id,
      email: "ses@example.test",
      name: "Ses Sion",
    });
  });

  it("refuses an expired session, an unknown token and no token", async () => {
    const { sessionToken } = await session({ email: "old@example.test" }, -1000);
    expect(await userForSessionToken(sessionToken)).toBeNull();
    expect(await userForSessionToken("no-such-token")).toBeNull();
    expect(await userForSessionToken(undefined)).toBeNull();
  });

  it("refuses a session whose user has no email address", async () => {
    const { sessionToken } = await session({ email: null }, 60_000);
    expect(await userForSessionToken(sessionToken)).toBeNull();
  });
});

describe("idle timeout", () => {
  const DAY = 24 * 60 * 60 * 1000;
  async function aged(lastSeenAgoMs: number) {
    const { id, sessionToken } = await session({ email: `idle-${lastSeenAgoMs}@example.test` }, 10 * DAY);
    await db.prisma.session.update({
      where: { sessionToken },
      data: { lastSeenAt: new Date(Date.now() - lastSeenAgoMs) },
    });
    return { id, sessionToken };
  }
  const lastSeen = async (sessionToken: string) =>
    (await db.prisma.session.findUniqueOrThrow({ where: { sessionToken } })).lastSeenAt.getTime();

  const MINUTE = 60 * 1000;
  it("ends a session left unused for 30 minutes, even before its absolute end (decision 040)", async () => {
    const { sessionToken } = await aged(30 * MINUTE + 1000);
    expect(await userForSessionToken(sessionToken)).toBeNull();
    const { sessionToken: recent } = await aged(29 * MINUTE);
    expect(await userForSessionToken(recent)).not.toBeNull();
  });

  it("lasts 12 hours at most, however busy", () => {
    expect(SESSION_MAX_AGE_S).toBe(12 * 60 * 60);
    expect(DAY).toBeGreaterThan(SESSION_MAX_AGE_S * 1000);
  });

  it("moves the idle clock on at most every five minutes, in the lookup itself", async () => {
    const stale = await aged(6 * MINUTE);
    expect(await userForSessionToken(stale.sessionToken)).not.toBeNull();
    expect(Date.now() - (await lastSeen(stale.sessionToken))).toBeLessThan(60_000);
    // Someone active every few minutes is never timed out: each touch restarts the 30 minutes.
    expect(TOUCH_EVERY_MS * 2).toBeLessThanOrEqual(SESSION_IDLE_MS / 3);
    const fresh = await aged(4 * MINUTE);
    const before = await lastSeen(fresh.sessionToken);
    expect(await userForSessionToken(fresh.sessionToken)).not.toBeNull();
    expect(await lastSeen(fresh.sessionToken)).toBe(before);
  });

  it("commits the touch without waiting for the disk (decision 068), and still touches", async () => {
    const stale = await aged(7 * MINUTE);
    expect(await commitModeAfter(sessionLookupStatement(stale.sessionToken, new Date()), db.prisma)).toBe(
      "off",
    );
    expect(Date.now() - (await lastSeen(stale.sessionToken))).toBeLessThan(60_000);
  });
});
