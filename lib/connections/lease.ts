import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { now } from "@/lib/clock";

/** Long enough for one TrueLayer call with its timeout; a crashed request's lease lapses after it. */
export const LEASE_MS = 60_000;

export type Lease = { connectionId: string; leaseId: string; version: number };

/**
 * Claims a connection for one call that spends its refresh token. A short statement, committed before
 * TrueLayer is called: no lock or transaction is held across the network. Null when another request
 * holds a live lease.
 */
export async function claimConnection(
  prisma: PrismaClient,
  connectionId: string,
  userId: string,
  purpose: string,
): Promise<Lease | null> {
  const at = now();
  const leaseId = randomUUID();
  const claimed = await prisma.connection.updateMany({
    where: {
      id: connectionId,
      userId,
      OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: at } }],
    },
    data: {
      leaseId,
      leasePurpose: purpose,
      leaseExpiresAt: new Date(at.getTime() + LEASE_MS),
      version: { increment: 1 },
    },
  });
  if (claimed.count !== 1) return null;
  const row = await prisma.connection.findUniqueOrThrow({
    where: { id: connectionId },
    select: { version: true, leaseId: true },
  });
  if (row.leaseId !== leaseId) return null;
  return { connectionId, leaseId, version: row.version };
}

export class LostLeaseError extends Error {
  constructor() {
    super("Another request changed this connection first.");
    this.name = "LostLeaseError";
  }
}

/**
 * Stores the result of the leased call and releases the lease, in one compare-and-set: only if the
 * lease is still ours and nobody else wrote since. Tokens are never replaced any other way.
 */
export async function completeLease(
  tx: Prisma.TransactionClient | PrismaClient,
  lease: Lease,
  data: Prisma.ConnectionUpdateManyMutationInput,
): Promise<void> {
  const updated = await tx.connection.updateMany({
    where: { id: lease.connectionId, leaseId: lease.leaseId, version: lease.version },
    data: { ...data, leaseId: null, leasePurpose: null, leaseExpiresAt: null, version: { increment: 1 } },
  });
  if (updated.count !== 1) throw new LostLeaseError();
}

/** Gives the lease back without changing tokens (the call failed before TrueLayer acted, or was refused). */
export async function releaseLease(prisma: PrismaClient, lease: Lease): Promise<void> {
  await prisma.connection.updateMany({
    where: { id: lease.connectionId, leaseId: lease.leaseId },
    data: { leaseId: null, leasePurpose: null, leaseExpiresAt: null },
  });
}
