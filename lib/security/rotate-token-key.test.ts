import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  clearRevokeQueue,
  seedBareConnection,
  seedHeldGrant,
  seedQueuedGrant,
  setSeededConnection,
} from "@/kit";
import { hold, release } from "@/lib/connections/custody";
import { createAuthState } from "@/lib/connections/store/exchanges";
import { keyIdOf, keyringFrom, open, seal } from "@/lib/crypto/token-seal";
import { integrationSuite } from "@/test/integration";
import { rotateTokenKey } from "./rotate-token-key";

const suite = integrationSuite();

const key = () => randomBytes(32).toString("base64");
const oldKey = { id: "old1", key: key() };
const newKey = { id: "new2", key: key() };
const oldRing = keyringFrom(oldKey);
const rotationRing = keyringFrom(newKey, `${oldKey.id}:${oldKey.key}`);
const newOnly = keyringFrom(newKey);

async function user() {
  return suite.prisma.user.create({ data: { email: `rot-${randomBytes(4).toString("hex")}@example.test` } });
}

async function connection(
  userId: string,
  tokens: { access: string; refresh: string | null },
  ring = oldRing,
) {
  const id = await seedBareConnection(userId, {
    providerId: "uk-cs-mock",
    providerName: "Mock UK Bank",
    scopes: ["info"],
    consentCreatedAt: new Date(),
    consentExpiresAt: new Date(Date.now() + 86_400_000),
  });
  await setSeededConnection(id, {
    accessTokenSealed: seal(tokens.access, ring),
    refreshTokenSealed: tokens.refresh ? seal(tokens.refresh, ring) : null,
    tokenKeyId: ring.currentKeyId,
  });
  return suite.prisma.connection.findUniqueOrThrow({ where: { id } });
}

describe("rotateTokenKey", () => {
  it("re-seals every old value with the current key, keeps the plain values, and reports counts only", async () => {
    const u = await user();
    const a = await connection(u.id, { access: "access-a", refresh: "refresh-a" });
    const b = await connection(u.id, { access: "access-b", refresh: null });
    const stateHash = randomBytes(32).toString("hex");
    await createAuthState({
      stateHash,
      userId: u.id,
      purpose: "CONNECT",
      connectionIds: [],
      codeVerifierSealed: seal("verifier", oldRing),
      redirectUri: "http://x/callback",
      expiresAt: new Date(Date.now() + 600_000),
    });
    const state = await suite.prisma.authState.findUniqueOrThrow({ where: { stateHash } });

    const report = await rotateTokenKey(rotationRing, { batchSize: 1 });
    expect(report.connections).toMatchObject({ rotated: 2, unreadable: 0, skipped: 0 });
    expect(report.authStates).toMatchObject({ rotated: 1, unreadable: 0, skipped: 0 });
    expect(JSON.stringify(report)).not.toMatch(/access-|refresh-|verifier/);

    const rowA = await suite.prisma.connection.findUniqueOrThrow({ where: { id: a.id } });
    expect(open(rowA.accessTokenSealed ?? "", newOnly)).toBe("access-a");
    expect(open(rowA.refreshTokenSealed ?? "", newOnly)).toBe("refresh-a");
    expect(rowA).toMatchObject({ tokenKeyId: "new2", version: a.version });
    const rowB = await suite.prisma.connection.findUniqueOrThrow({ where: { id: b.id } });
    expect(rowB.refreshTokenSealed).toBeNull();
    expect(keyIdOf(rowB.accessTokenSealed ?? "")).toBe("new2");
    const s = await suite.prisma.authState.findUniqueOrThrow({ where: { id: state.id } });
    expect(open(s.codeVerifierSealed ?? "", newOnly)).toBe("verifier");
  });

  it("is idempotent: a second run finds everything current", async () => {
    const report = await rotateTokenKey(rotationRing);
    expect(report.connections.rotated).toBe(0);
    expect(report.authStates.rotated).toBe(0);
    expect(report.connections.current).toBe(report.connections.checked);
  });

  it("never overwrites a token written after it was read, and leaves a leased connection alone", async () => {
    const u = await user();
    const raced = await connection(u.id, { access: "a1", refresh: "r1" });
    const leased = await connection(u.id, { access: "a2", refresh: "r2" });
    const got = await hold(leased.id, u.id, "extend");
    if (!("held" in got)) throw new Error("no lease");
    const lease = got.held;
    const successor = seal("r1-successor", newOnly);
    const report = await rotateTokenKey(rotationRing, {
      afterRead: async (ids) => {
        if (!ids.includes(raced.id)) return;
        // What complete does meanwhile: the successor token, and the version bumped.
        await setSeededConnection(raced.id, { refreshTokenSealed: successor });
      },
    });
    expect(report.connections.skipped).toBe(2);
    const rowRaced = await suite.prisma.connection.findUniqueOrThrow({ where: { id: raced.id } });
    expect(rowRaced.refreshTokenSealed).toBe(successor);
    const rowLeased = await suite.prisma.connection.findUniqueOrThrow({ where: { id: leased.id } });
    expect(keyIdOf(rowLeased.refreshTokenSealed ?? "")).toBe("old1");

    await release(lease);
    const again = await rotateTokenKey(rotationRing);
    expect(again.connections.skipped).toBe(0);
    expect(again.connections.rotated).toBe(2);
  });

  it("counts values no key in the ring opens, and leaves them as they are", async () => {
    const u = await user();
    const lost = keyringFrom({ id: "lost", key: key() });
    const row = await connection(u.id, { access: "x", refresh: null }, lost);
    const report = await rotateTokenKey(rotationRing);
    expect(report.connections.unreadable).toBe(1);
    const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: row.id } });
    expect(keyIdOf(after.accessTokenSealed ?? "")).toBe("lost");
  });
});

describe("every sealed value, the revoke queue included", () => {
  it("re-seals queued revokes, parked returns and held exchange grants; success only when none needs the old key", async () => {
    await seedQueuedGrant({
      id: `q-${randomBytes(4).toString("hex")}`,
      accessTokenSealed: seal("queued-access", oldRing),
      refreshTokenSealed: seal("queued-refresh", oldRing),
      tokenKeyId: "old1",
    });
    const exchange = {
      id: await seedHeldGrant(
        { accessTokenSealed: seal("held-access", oldRing), tokenKeyId: "old1" },
        { providerName: "Mock UK Bank", tokens: { accessTokenSealed: seal("parked-access", oldRing) } },
      ),
    };
    const { keyIdsInUse } = await import("@/lib/connections/custody/sealed");
    expect(await keyIdsInUse()).toContain("old1");

    const report = await rotateTokenKey(rotationRing);
    expect(report.pendingRevokes).toMatchObject({ rotated: 1, unreadable: 0, skipped: 0 });
    expect(report.codeExchanges).toMatchObject({ rotated: 1, unreadable: 0, skipped: 0 });
    expect(report.parkedReturns).toMatchObject({ rotated: 1, unreadable: 0, skipped: 0 });
    const queued = await suite.prisma.pendingRevoke.findFirstOrThrow({ where: { providerId: "uk-cs-mock" } });
    expect(open(queued.refreshTokenSealed ?? "", newOnly)).toBe("queued-refresh");
    expect(queued.tokenKeyId).toBe("new2");
    const held = await suite.prisma.codeExchange.findUniqueOrThrow({ where: { id: exchange.id } });
    expect(open((held.grantSealed as { accessTokenSealed: string }).accessTokenSealed, newOnly)).toBe(
      "held-access",
    );
    const parked = await suite.prisma.parkedReturn.findUniqueOrThrow({ where: { exchangeId: exchange.id } });
    const snapshot = parked.snapshot as { providerName: string; tokens: { accessTokenSealed: string } };
    expect(open(snapshot.tokens.accessTokenSealed, newOnly)).toBe("parked-access");
    expect(snapshot.providerName).toBe("Mock UK Bank");
    // Only the unreadable row from the test before names a key the rotation could not open.
    expect((await keyIdsInUse()).sort()).toEqual(["lost", "new2"]);
  });
});

describe("a key that stored values still need", () => {
  it("is named at start-up, and a queued revoke sealed with it is postponed, never crashing the job", async () => {
    const { missingSealingKeys } = await import("@/lib/connections/custody/keys");
    // The test environment's own key is provided; the keys the tests above sealed with are not.
    expect((await missingSealingKeys()).sort()).toEqual(["lost", "new2"]);
    const lost = keyringFrom({ id: "lost", key: key() });
    const id = `q-${randomBytes(4).toString("hex")}`;
    await clearRevokeQueue();
    await seedQueuedGrant({
      id,
      accessTokenSealed: seal("a", lost),
      refreshTokenSealed: seal("r", lost),
      tokenKeyId: "lost",
    });
    const { drainRevokeQueue } = await import("@/lib/connections/custody");
    expect(await drainRevokeQueue()).toMatchObject({ postponed: 1 });
    expect(await suite.prisma.operatorAlert.findMany({ where: { kind: "token_key_missing" } })).toEqual([
      expect.objectContaining({
        summary: expect.stringContaining(
          'A queued revoke is sealed with a key we no longer have (No key "lost"',
        ),
      }),
    ]);
    expect(await suite.prisma.pendingRevoke.findUniqueOrThrow({ where: { id } })).toMatchObject({
      lastError: "no_key",
      attempts: 1,
    });
  });
});
