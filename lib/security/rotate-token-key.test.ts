import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf, keyringFrom, open, seal } from "@/lib/crypto/token-seal";
import { type Integration, startIntegration } from "@/test/integration";
import { rotateTokenKey } from "./rotate-token-key";

let it_: Integration;
let prisma: PrismaClient;
beforeAll(async () => {
  it_ = await startIntegration();
  prisma = it_.prisma;
});
afterAll(() => it_.close());

const key = () => randomBytes(32).toString("base64");
const oldKey = { id: "old1", key: key() };
const newKey = { id: "new2", key: key() };
const oldRing = keyringFrom(oldKey);
const rotationRing = keyringFrom(newKey, `${oldKey.id}:${oldKey.key}`);
const newOnly = keyringFrom(newKey);

async function user() {
  return prisma.user.create({ data: { email: `rot-${randomBytes(4).toString("hex")}@example.test` } });
}

async function connection(userId: string, tokens: { access: string; refresh: string | null }, extra = {}) {
  return prisma.connection.create({
    data: {
      userId,
      providerId: "uk-cs-mock",
      providerName: "Mock UK Bank",
      scopes: ["info"],
      accessTokenSealed: seal(tokens.access, oldRing),
      refreshTokenSealed: tokens.refresh ? seal(tokens.refresh, oldRing) : null,
      tokenKeyId: oldKey.id,
      consentCreatedAt: new Date(),
      consentExpiresAt: new Date(Date.now() + 86_400_000),
      ...extra,
    },
  });
}

describe("rotateTokenKey", () => {
  it("re-seals every old value with the current key, keeps the plain values, and reports counts only", async () => {
    const u = await user();
    const a = await connection(u.id, { access: "access-a", refresh: "refresh-a" });
    const b = await connection(u.id, { access: "access-b", refresh: null });
    const state = await prisma.authState.create({
      data: {
        stateHash: randomBytes(32).toString("hex"),
        userId: u.id,
        purpose: "CONNECT",
        codeVerifierSealed: seal("verifier", oldRing),
        redirectUri: "http://x/callback",
        expiresAt: new Date(Date.now() + 600_000),
      },
    });

    const report = await rotateTokenKey(prisma, rotationRing, { batchSize: 1 });
    expect(report.connections).toMatchObject({ rotated: 2, unreadable: 0, skipped: 0 });
    expect(report.authStates).toMatchObject({ rotated: 1, unreadable: 0, skipped: 0 });
    expect(JSON.stringify(report)).not.toMatch(/access-|refresh-|verifier/);

    const rowA = await prisma.connection.findUniqueOrThrow({ where: { id: a.id } });
    expect(open(rowA.accessTokenSealed ?? "", newOnly)).toBe("access-a");
    expect(open(rowA.refreshTokenSealed ?? "", newOnly)).toBe("refresh-a");
    expect(rowA).toMatchObject({ tokenKeyId: "new2", version: a.version });
    const rowB = await prisma.connection.findUniqueOrThrow({ where: { id: b.id } });
    expect(rowB.refreshTokenSealed).toBeNull();
    expect(keyIdOf(rowB.accessTokenSealed ?? "")).toBe("new2");
    const s = await prisma.authState.findUniqueOrThrow({ where: { id: state.id } });
    expect(open(s.codeVerifierSealed ?? "", newOnly)).toBe("verifier");
  });

  it("is idempotent: a second run finds everything current", async () => {
    const report = await rotateTokenKey(prisma, rotationRing);
    expect(report.connections.rotated).toBe(0);
    expect(report.authStates.rotated).toBe(0);
    expect(report.connections.current).toBe(report.connections.checked);
  });

  it("never overwrites a token written after it was read, and leaves a leased connection alone", async () => {
    const u = await user();
    const raced = await connection(u.id, { access: "a1", refresh: "r1" });
    const leased = await connection(
      u.id,
      { access: "a2", refresh: "r2" },
      {
        leaseId: "lease-1",
        leaseExpiresAt: new Date(Date.now() + 60_000),
      },
    );
    const successor = seal("r1-successor", newOnly);
    const report = await rotateTokenKey(prisma, rotationRing, {
      afterRead: async (ids) => {
        if (!ids.includes(raced.id)) return;
        // What completeLease does meanwhile: the successor token, and the version bumped.
        await prisma.connection.update({
          where: { id: raced.id },
          data: { refreshTokenSealed: successor, version: { increment: 1 } },
        });
      },
    });
    expect(report.connections.skipped).toBe(2);
    const rowRaced = await prisma.connection.findUniqueOrThrow({ where: { id: raced.id } });
    expect(rowRaced.refreshTokenSealed).toBe(successor);
    const rowLeased = await prisma.connection.findUniqueOrThrow({ where: { id: leased.id } });
    expect(keyIdOf(rowLeased.refreshTokenSealed ?? "")).toBe("old1");

    // Once the lease is gone, the next run finishes the job.
    await prisma.connection.update({
      where: { id: leased.id },
      data: { leaseId: null, leaseExpiresAt: null },
    });
    const again = await rotateTokenKey(prisma, rotationRing);
    expect(again.connections.skipped).toBe(0);
    expect(again.connections.rotated).toBe(2);
  });

  it("counts values no key in the ring opens, and leaves them as they are", async () => {
    const u = await user();
    const lost = keyringFrom({ id: "lost", key: key() });
    const row = await prisma.connection.create({
      data: {
        userId: u.id,
        providerId: "uk-cs-mock",
        providerName: "Mock UK Bank",
        scopes: ["info"],
        accessTokenSealed: seal("x", lost),
        consentCreatedAt: new Date(),
        consentExpiresAt: new Date(),
      },
    });
    const report = await rotateTokenKey(prisma, rotationRing);
    expect(report.connections.unreadable).toBe(1);
    const after = await prisma.connection.findUniqueOrThrow({ where: { id: row.id } });
    expect(keyIdOf(after.accessTokenSealed ?? "")).toBe("lost");
  });
});
