import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Integration, startIntegration } from "@/test/integration";

// The reconfirm action finds the session's user in the statement that loads the submission
// (loadSessionSubmission), instead of a session lookup of its own first.

let tl: Integration;
beforeAll(async () => {
  tl = await startIntegration();
});
afterAll(() => tl?.close());

async function app() {
  const factory = await import("./reconfirm-test-factory");
  const workflow = await import("./reconfirm-workflow");
  const limits = await import("@/lib/security/limits");
  return { ...factory, ...workflow, ...limits };
}

async function sessionFor(userId: string, expiresInMs: number) {
  const sessionToken = `tok-${randomUUID()}`;
  await tl.prisma.session.create({
    data: { sessionToken, userId, expires: new Date(Date.now() + expiresInMs) },
  });
  return sessionToken;
}

const input = (ids: string[]) => ({ connectionId: ids, shownConnectionId: ids, copyHash: "a".repeat(64) });
const attempts = () =>
  tl.prisma.rateLimit.aggregate({ _sum: { count: true } }).then((r) => r._sum.count ?? 0);

describe("loadSessionSubmission", () => {
  it("loads a live session's user, profile and connections, and counts the attempt", async () => {
    const { createTestUser, createTestConnection, loadSessionSubmission } = await app();
    const user = await createTestUser("Sam Session");
    const conn = await createTestConnection(tl, user.id, "eternal");
    const token = await sessionFor(user.id, 60_000);
    const before = await attempts();
    const loaded = await loadSessionSubmission(input([conn.id]), token);
    expect(loaded?.userId).toBe(user.id);
    expect(loaded?.profile).toEqual({ name: "Sam Session", email: user.email });
    expect(loaded?.rows.map((r) => r.id)).toEqual([conn.id]);
    expect(loaded?.limit.allowed).toBe(true);
    expect(await attempts()).toBe(before + 1);
  });

  it("loads nothing and counts nothing for an ended or unknown session, or a user without email", async () => {
    const { createTestUser, createTestConnection, loadSessionSubmission } = await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const ended = await sessionFor(user.id, -1_000);
    const noEmail = await tl.prisma.user.create({ data: { email: null, name: "No Mail" } });
    const before = await attempts();
    expect(await loadSessionSubmission(input([conn.id]), ended)).toBeUndefined();
    expect(await loadSessionSubmission(input([conn.id]), "no-such-token")).toBeUndefined();
    expect(
      await loadSessionSubmission(input([conn.id]), await sessionFor(noEmail.id, 60_000)),
    ).toBeUndefined();
    expect(await attempts()).toBe(before);
  });

  it("never loads another user's connections through a session", async () => {
    const { createTestUser, createTestConnection, loadSessionSubmission } = await app();
    const owner = await createTestUser();
    const other = await createTestUser();
    const conn = await createTestConnection(tl, owner.id, "eternal");
    const loaded = await loadSessionSubmission(input([conn.id]), await sessionFor(other.id, 60_000));
    expect(loaded?.userId).toBe(other.id);
    expect(loaded?.rows).toEqual([]);
  });

  it("shares the renewal limit with 'Continue to your bank' (the same counter, hashed in SQL)", async () => {
    const { createTestUser, createTestConnection, loadSessionSubmission, loadSubmission, limitReconfirm } =
      await app();
    const user = await createTestUser();
    const conn = await createTestConnection(tl, user.id, "eternal");
    const token = await sessionFor(user.id, 60_000);
    for (let i = 0; i < 9; i++) expect((await limitReconfirm(user.id)).allowed).toBe(true);
    expect((await loadSessionSubmission(input([conn.id]), token))?.limit.allowed).toBe(true);
    const refused = (await loadSessionSubmission(input([conn.id]), token))?.limit;
    expect(refused?.allowed).toBe(false);
    expect(refused?.retryAfterSeconds).toBeGreaterThan(0);
    expect((await loadSubmission(input([conn.id]), user.id)).limit.allowed).toBe(false);
    expect((await limitReconfirm(user.id)).allowed).toBe(false);
  });
});
