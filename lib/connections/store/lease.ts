import "server-only";
import { randomUUID } from "node:crypto";
import { type ConnectionStatus, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { type Sql, sql } from "@/lib/db";
import { type EventInput, insertEventStatement } from "./events";

// Long enough for one TrueLayer call with its timeout; a crashed request's lease lapses after it.
export const LEASE_MS = 60_000;

export type Lease = { connectionId: string; leaseId: string; version: number };

export type ClaimedConnection = Lease & {
  status: ConnectionStatus;
  // Read in the claiming statement: the tokens no other request can spend meanwhile.
  refreshTokenSealed: string | null;
  accessTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
  consentExpiresAt: Date;
};

export class LostLeaseError extends Error {
  constructor() {
    super("Another request changed this connection first.");
    this.name = "LostLeaseError";
  }
}

// Under concurrent claims PostgreSQL re-checks the lease condition on the row each waiter finally sees,
// so exactly one wins.
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
      c."refreshTokenSealed", c."accessTokenSealed", c."accessTokenExpiresAt", c."consentExpiresAt"`;
}

// Committed before TrueLayer is called: no lock or transaction is held across the network.
export async function claim(
  connectionId: string,
  userId: string,
  purpose: string,
): Promise<ClaimedConnection | null> {
  const { rows } = await sql<ClaimedConnection>(claimStatement([connectionId], userId, purpose));
  return rows[0] ?? null;
}

export type ConnectionColumns = {
  accessTokenSealed?: string | null;
  refreshTokenSealed?: string | null;
  tokenKeyId?: string;
  accessTokenExpiresAt?: Date | null;
  consentCreatedAt?: Date;
  consentExpiresAt?: Date;
  credentialsId?: string;
  providerId?: string;
  providerName?: string;
  providerLogoUrl?: string | null;
  scopes?: string[];
  status?: ConnectionStatus;
  statusReason?: string | null;
};

const CAST: Record<keyof ConnectionColumns, string> = {
  accessTokenSealed: "",
  refreshTokenSealed: "",
  tokenKeyId: "",
  accessTokenExpiresAt: "::timestamp(3)",
  consentCreatedAt: "::timestamp(3)",
  consentExpiresAt: "::timestamp(3)",
  credentialsId: "",
  providerId: "",
  providerName: "",
  providerLogoUrl: "",
  scopes: "::text[]",
  status: '::"ConnectionStatus"',
  statusReason: "",
};

// For stopping, the owner's write wins whatever is in flight (the version still moves on, so no call in flight stores).
type CasTarget =
  | { lease: Lease }
  | { connectionId: string; version: number; notRevoked?: boolean }
  | { connectionId: string; userId: string; force: true };

// Every token write goes through this, so a refresh token is only replaced in the statement that stores its successor.
export function casStatement(
  target: CasTarget,
  columns: ConnectionColumns,
  options: { keepLease?: boolean } = {},
) {
  const sets = (Object.keys(CAST) as (keyof ConnectionColumns)[])
    .filter((key) => columns[key] !== undefined)
    .map((key) => Prisma.sql`${Prisma.raw(`"${key}"`)} = ${columns[key]}${Prisma.raw(CAST[key])}, `);
  const lease = options.keepLease
    ? Prisma.empty
    : Prisma.sql`"leaseId" = NULL, "leasePurpose" = NULL, "leaseExpiresAt" = NULL, `;
  const where =
    "lease" in target
      ? Prisma.sql`"id" = ${target.lease.connectionId} AND "leaseId" = ${target.lease.leaseId} AND "version" = ${target.lease.version}`
      : "force" in target
        ? Prisma.sql`"id" = ${target.connectionId} AND "userId" = ${target.userId}`
        : Prisma.sql`"id" = ${target.connectionId} AND "version" = ${target.version}${
            target.notRevoked ? Prisma.sql` AND "status" <> 'REVOKED'` : Prisma.empty
          }`;
  return Prisma.sql`
    UPDATE "Connection"
    SET ${sets.length ? Prisma.join(sets, "") : Prisma.empty}${lease}"version" = "version" + 1,
      "updatedAt" = ${now()}::timestamp(3)
    WHERE ${where}
    RETURNING "id", "version"`;
}

// The event exists exactly when the compare-and-set stored the result.
export async function complete(
  lease: Lease,
  columns: ConnectionColumns,
  event?: Omit<EventInput, "connectionId">,
  tx?: Sql,
): Promise<void> {
  const update = casStatement({ lease }, columns);
  const statement = event
    ? Prisma.sql`WITH c AS (${update}) ${insertEventStatement({ ...event, connectionId: lease.connectionId }, Prisma.sql`FROM c`)}`
    : update;
  const { rowCount } = tx ? await tx(statement) : await sql(statement);
  if (rowCount !== 1) throw new LostLeaseError();
}

export async function keep(lease: Lease, columns: ConnectionColumns): Promise<Lease> {
  const { rows } = await sql<{ version: number }>(casStatement({ lease }, columns, { keepLease: true }));
  if (!rows[0]) throw new LostLeaseError();
  return { ...lease, version: rows[0].version };
}

// Also when the call failed before TrueLayer acted, or was refused.
export async function release(lease: Lease): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "Connection" SET "leaseId" = NULL, "leasePurpose" = NULL, "leaseExpiresAt" = NULL
    WHERE "id" = ${lease.connectionId} AND "leaseId" = ${lease.leaseId}`);
}

export async function leaseEnded(connectionId: string): Promise<boolean> {
  const { rows } = await sql<{ leaseExpiresAt: Date | null }>(Prisma.sql`
    SELECT "leaseExpiresAt" FROM "Connection" WHERE "id" = ${connectionId}`);
  const until = rows[0]?.leaseExpiresAt;
  return !until || until <= now();
}
