import "server-only";
import type { PrismaClient } from "@prisma/client";
import {
  resealAuthState,
  resealConnection,
  sealedAuthStates,
  sealedConnections,
} from "@/lib/connections/store/sealed";
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

function resealed(value: string | null, ring: Keyring): string | null {
  if (value === null || keyIdOf(value) === ring.currentKeyId) return value;
  return seal(open(value, ring), ring);
}

async function rotateConnections(prisma: PrismaClient, ring: Keyring, options: Options, out: RotationCounts) {
  let cursor = "";
  for (;;) {
    const rows = await sealedConnections(prisma, cursor, options.batchSize ?? 100);
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
      const sealed = {
        accessTokenSealed: access,
        refreshTokenSealed: refresh,
        tokenKeyId: ring.currentKeyId,
      };
      if (await resealConnection(prisma, row, sealed)) out.rotated++;
      else out.skipped++;
    }
  }
}

async function rotateAuthStates(prisma: PrismaClient, ring: Keyring, options: Options, out: RotationCounts) {
  let cursor = "";
  for (;;) {
    const rows = await sealedAuthStates(prisma, cursor, options.batchSize ?? 100);
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
      if (verifier === row.codeVerifierSealed || verifier === null) {
        out.current++;
        continue;
      }
      if (await resealAuthState(prisma, row, verifier)) out.rotated++;
      else out.skipped++;
    }
  }
}

// Idempotent and safe beside live traffic: a row that changed since it was read, or is leased, is skipped and
// counted; run again for those.
export async function rotateTokenKey(prisma: PrismaClient, ring: Keyring, options: Options = {}) {
  const report: RotationReport = { connections: counts(), authStates: counts() };
  await rotateConnections(prisma, ring, options, report.connections);
  await rotateAuthStates(prisma, ring, options, report.authStates);
  return report;
}
