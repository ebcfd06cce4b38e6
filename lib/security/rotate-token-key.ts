import "server-only";
import type { PrismaClient } from "@prisma/client";
import { now } from "@/lib/clock";
import { type Keyring, keyIdOf, open, seal } from "@/lib/crypto/token-seal";

/** Counts only: a rotation report never holds a token or a key. */
export type RotationCounts = {
  checked: number;
  rotated: number;
  current: number;
  skipped: number;
  unreadable: number;
};
export type RotationReport = { connections: RotationCounts; authStates: RotationCounts };

type Options = {
  batchSize?: number;
  /** Test seam: runs after each batch is read and before it is written. */
  afterRead?: (ids: string[]) => Promise<void>;
};

const counts = (): RotationCounts => ({ checked: 0, rotated: 0, current: 0, skipped: 0, unreadable: 0 });

/** The value sealed with the current key; unchanged when it already is. Throws when no key opens it. */
function resealed(value: string | null, ring: Keyring): string | null {
  if (value === null || keyIdOf(value) === ring.currentKeyId) return value;
  return seal(open(value, ring), ring);
}

async function rotateConnections(prisma: PrismaClient, ring: Keyring, options: Options, out: RotationCounts) {
  let cursor = "";
  for (;;) {
    const rows = await prisma.connection.findMany({
      where: {
        id: { gt: cursor },
        OR: [{ accessTokenSealed: { not: null } }, { refreshTokenSealed: { not: null } }],
      },
      orderBy: { id: "asc" },
      take: options.batchSize ?? 100,
      select: { id: true, version: true, accessTokenSealed: true, refreshTokenSealed: true },
    });
    if (rows.length === 0) return;
    cursor = rows[rows.length - 1]?.id ?? cursor;
    await options.afterRead?.(rows.map((r) => r.id));
    for (const row of rows) {
      out.checked++;
      let access: string | null;
      let refresh: string | null;
      try {
        access = resealed(row.accessTokenSealed, ring);
        refresh = resealed(row.refreshTokenSealed, ring);
      } catch {
        out.unreadable++;
        continue;
      }
      if (access === row.accessTokenSealed && refresh === row.refreshTokenSealed) {
        out.current++;
        continue;
      }
      // Compare-and-set: only the exact row we read, and not while a lease holder may be about to
      // store a successor token. The version is left alone, so no lease in flight is disturbed; the
      // plain tokens are the same, only the key that seals them changed.
      const { count } = await prisma.connection.updateMany({
        where: {
          id: row.id,
          version: row.version,
          accessTokenSealed: row.accessTokenSealed,
          refreshTokenSealed: row.refreshTokenSealed,
          OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now() } }],
        },
        data: { accessTokenSealed: access, refreshTokenSealed: refresh, tokenKeyId: ring.currentKeyId },
      });
      if (count === 1) out.rotated++;
      else out.skipped++;
    }
  }
}

async function rotateAuthStates(prisma: PrismaClient, ring: Keyring, options: Options, out: RotationCounts) {
  let cursor = "";
  for (;;) {
    const rows = await prisma.authState.findMany({
      where: { id: { gt: cursor }, codeVerifierSealed: { not: null } },
      orderBy: { id: "asc" },
      take: options.batchSize ?? 100,
      select: { id: true, codeVerifierSealed: true },
    });
    if (rows.length === 0) return;
    cursor = rows[rows.length - 1]?.id ?? cursor;
    await options.afterRead?.(rows.map((r) => r.id));
    for (const row of rows) {
      out.checked++;
      let verifier: string | null;
      try {
        verifier = resealed(row.codeVerifierSealed, ring);
      } catch {
        out.unreadable++;
        continue;
      }
      if (verifier === row.codeVerifierSealed) {
        out.current++;
        continue;
      }
      const { count } = await prisma.authState.updateMany({
        where: { id: row.id, codeVerifierSealed: row.codeVerifierSealed },
        data: { codeVerifierSealed: verifier },
      });
      if (count === 1) out.rotated++;
      else out.skipped++;
    }
  }
}

/**
 * Re-seals every sealed column with the keyring's current key, opening old values with any key in the
 * ring. Batched, idempotent (a second run finds everything current), and safe beside live traffic:
 * a row that changed since it was read, or is leased, is skipped and counted; run again for those.
 */
export async function rotateTokenKey(prisma: PrismaClient, ring: Keyring, options: Options = {}) {
  const report: RotationReport = { connections: counts(), authStates: counts() };
  await rotateConnections(prisma, ring, options, report.connections);
  await rotateAuthStates(prisma, ring, options, report.authStates);
  return report;
}
