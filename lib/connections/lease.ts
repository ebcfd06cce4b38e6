import "server-only";
import { randomUUID } from "node:crypto";
import { type ConnectionEventType, type ConnectionStatus, Prisma, type PrismaClient } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { newId } from "@/lib/ids";

/** Long enough for one TrueLayer call with its timeout; a crashed request's lease lapses after it. */
export const LEASE_MS = 60_000;

export type Lease = { connectionId: string; leaseId: string; version: number };

export type ClaimedConnection = Lease & {
  status: ConnectionStatus;
  /** Read in the claiming statement, so it is the token no other request can spend meanwhile. */
  refreshTokenSealed: string | null;
};

/**
 * The claim as SQL, for claimConnection and for statements that claim along with other writes: an
 * UPDATE … RETURNING the ClaimedConnection of each connection it won. Under concurrent claims
 * PostgreSQL re-checks the lease condition on the row each waiter finally sees, so exactly one wins.
 */
export function claimStatement(connectionIds: string[], userId: string, purpose: string): Prisma.Sql {
  const at = now();
  return Prisma.sql`
    UPDATE "Connection" c
    SET "leaseId" = l."leaseId", "leasePurpose" = ${purpose},
      "leaseExpiresAt" = ${new Date(at.getTime() + LEASE_MS)}::timestamp(3),
      "version" = c."version" + 1, "updatedAt" = ${at}::timestamp(3)
    FROM unnest(${connectionIds}::text[], ${connectionIds.map(() => randomUUID())}::text[]) AS l("id", "leaseId")
    WHERE c."id" = l."id" AND c."userId" = ${userId}
      AND (c."leaseExpiresAt" IS NULL OR c."leaseExpiresAt" < ${at}::timestamp(3))
    RETURNING c."id" AS "connectionId", c."leaseId", c."version", c."status"::text AS "status",
      c."refreshTokenSealed"`;
}

/**
 * Claims a connection for one call that spends its refresh token. One short statement, committed
 * before TrueLayer is called: no lock or transaction is held across the network. Null when another
 * request holds a live lease.
 */
export async function claimConnection(
  prisma: PrismaClient,
  connectionId: string,
  userId: string,
  purpose: string,
): Promise<ClaimedConnection | null> {
  const { rows } = await sql<ClaimedConnection>(claimStatement([connectionId], userId, purpose), prisma);
  return rows[0] ?? null;
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

/** What a leased call may store; each key is a column, cast as PostgreSQL needs it. */
export type LeaseColumns = {
  accessTokenSealed?: string;
  refreshTokenSealed?: string;
  tokenKeyId?: string;
  accessTokenExpiresAt?: Date;
  consentExpiresAt?: Date;
  status?: ConnectionStatus;
  statusReason?: string | null;
};

const COLUMN_CAST: Record<keyof LeaseColumns, string> = {
  accessTokenSealed: "",
  refreshTokenSealed: "",
  tokenKeyId: "",
  accessTokenExpiresAt: "::timestamp(3)",
  consentExpiresAt: "::timestamp(3)",
  status: '::"ConnectionStatus"',
  statusReason: "",
};

export type LeaseEvent = {
  type: ConnectionEventType;
  reconfirmationId?: string | null;
  reason?: string;
  consentExpiresAt?: Date;
  browserHash?: string | null;
};

/**
 * completeLease and one appended event as a single statement (atomic without a transaction): the
 * event exists exactly when the compare-and-set stored the result. The reconfirm action's path
 * (docs/decisions/013-hot-path-sql.md).
 */
export async function completeLeaseWithEvent(
  prisma: PrismaClient,
  lease: Lease,
  columns: LeaseColumns,
  event: LeaseEvent,
): Promise<void> {
  const at = now();
  const sets = (Object.keys(COLUMN_CAST) as (keyof LeaseColumns)[])
    .filter((key) => columns[key] !== undefined)
    .map((key) => Prisma.sql`${Prisma.raw(`"${key}"`)} = ${columns[key]}${Prisma.raw(COLUMN_CAST[key])}, `);
  const { rowCount } = await sql(
    Prisma.sql`
    WITH c AS (
      UPDATE "Connection"
      SET ${sets.length ? Prisma.join(sets, "") : Prisma.empty}"leaseId" = NULL, "leasePurpose" = NULL, "leaseExpiresAt" = NULL,
        "version" = "version" + 1, "updatedAt" = ${at}::timestamp(3)
      WHERE "id" = ${lease.connectionId} AND "leaseId" = ${lease.leaseId} AND "version" = ${lease.version}
      RETURNING "id"
    )
    INSERT INTO "ConnectionEvent" ("id", "connectionId", "reconfirmationId", "type", "reason", "consentExpiresAt",
      "browserHash", "createdAt")
    SELECT ${newId()}, c."id", ${event.reconfirmationId ?? null}, ${event.type}::"ConnectionEventType",
      ${event.reason ?? null}, ${event.consentExpiresAt ?? null}::timestamp(3), ${event.browserHash ?? null},
      ${at}::timestamp(3)
    FROM c`,
    prisma,
  );
  if (rowCount !== 1) throw new LostLeaseError();
}

/** Gives the lease back without changing tokens (the call failed before TrueLayer acted, or was refused). */
export async function releaseLease(prisma: PrismaClient, lease: Lease): Promise<void> {
  await prisma.connection.updateMany({
    where: { id: lease.connectionId, leaseId: lease.leaseId },
    data: { leaseId: null, leasePurpose: null, leaseExpiresAt: null },
  });
}
