import { describe, expect, it } from "vitest";
import { clearRevokeQueue, seedBareConnection, setSeededConnection } from "@/kit";
import { addDays, now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { completeDeletion } from "@/lib/users/delete-account";
import { appDb, withAppDatabase } from "@/test/db";
import { commitStatement } from "./statements";

// A grant given up while its last call's answer is missing (or known lost) is queued remembering that, so the queue
// counts a dead refresh token as a lost grant rather than as "gone". Found by the custody soak (a reconnect).

withAppDatabase();

const UNANSWERED = new Date("2026-12-01T10:00:00.000Z");

async function connectionOf(facts: { outcomeUnknownAt?: Date | null; grantLostAt?: Date | null }) {
  const user = await appDb.prisma.user.create({
    data: { email: `lost-${Date.now()}-${Math.random()}@example.test`, name: "Ada Lovelace" },
  });
  const id = await seedBareConnection(user.id, {
    providerId: "uk-ob-lost",
    providerName: "Lost Bank",
    consentCreatedAt: addDays(now(), -80),
    consentExpiresAt: addDays(now(), 10),
    scopes: ["info", "accounts", "balance", "offline_access"],
  });
  await setSeededConnection(id, {
    accessTokenSealed: "sealed-access",
    refreshTokenSealed: "sealed-refresh",
    tokenKeyId: "k1",
    accessTokenExpiresAt: new Date(now().getTime() + 3600_000),
    credentialsId: `cred-${id}`,
    outcomeUnknownAt: facts.outcomeUnknownAt ?? null,
    grantLostAt: facts.grantLostAt ?? null,
  });
  return { userId: user.id, id };
}

const queued = () =>
  appDb.prisma.pendingRevoke.findMany({
    where: { providerName: "Lost Bank" },
    select: { reason: true, unansweredAt: true, refreshTokenSealed: true },
  });

describe("a grant given up after an answer went missing", () => {
  for (const facts of [{ outcomeUnknownAt: UNANSWERED }, { grantLostAt: UNANSWERED }]) {
    const which = Object.keys(facts)[0];
    it(`is queued with the time its answer went missing, when replaced (${which})`, async () => {
      await clearRevokeQueue();
      const { userId, id } = await connectionOf(facts);
      await sql(
        commitStatement(
          { connectionId: id, userId, force: true },
          { kind: "revoked", reason: "user_stopped", retire: { reason: "replaced" } },
          now(),
        ),
      );
      expect(await queued()).toEqual([
        { reason: "replaced", unansweredAt: UNANSWERED, refreshTokenSealed: "sealed-refresh" },
      ]);
    });

    it(`is queued with the time its answer went missing, when its account is deleted (${which})`, async () => {
      await clearRevokeQueue();
      const { userId } = await connectionOf(facts);
      await completeDeletion(userId);
      expect(await queued()).toEqual([
        { reason: "deleted", unansweredAt: UNANSWERED, refreshTokenSealed: "sealed-refresh" },
      ]);
    });
  }

  it("is queued as answered when every answer arrived", async () => {
    await clearRevokeQueue();
    const { userId } = await connectionOf({});
    await completeDeletion(userId);
    expect(await queued()).toEqual([
      { reason: "deleted", unansweredAt: null, refreshTokenSealed: "sealed-refresh" },
    ]);
  });
});
