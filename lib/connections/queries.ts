import "server-only";
import { type AuthStatePurpose, type ConnectionStatus, Prisma } from "@prisma/client";
import { addDays, now } from "@/lib/clock";
import { db, sql } from "@/lib/db";
import { consentState, EXPIRING_SOON_DAYS, isDue } from "./consent-state";
import { completeLease, type Lease, LostLeaseError } from "./lease";

// The connections domain's database access. Pages, actions and workflows call these verbs; nothing
// else in app/ or lib/connections/actions touches Prisma. Token writes that spend a refresh token go
// through lease.ts; the writes here are the ones that replace or remove tokens wholesale.

// ---- reads for pages ----

const withAccounts = { accounts: { orderBy: { createdAt: "asc" } } } as const;

/** What a page shows of a connection: never its tokens. */
export type ConnectionWithAccounts = {
  id: string;
  providerName: string;
  providerLogoUrl: string | null;
  scopes: string[];
  status: ConnectionStatus;
  statusReason: string | null;
  consentCreatedAt: Date;
  consentExpiresAt: Date;
  accounts: { id: string; displayName: string; maskedNumber: string | null }[];
};

/**
 * Every connection of a user with its accounts, in one statement (newest first). SQL of our own:
 * the dashboard is one of the benchmarked pages (docs/decisions/013-hot-path-sql.md).
 */
export async function getConnectionsForUser(userId: string): Promise<ConnectionWithAccounts[]> {
  const { rows } = await sql<ConnectionWithAccounts>(Prisma.sql`
    SELECT c."id", c."providerName", c."providerLogoUrl", c."scopes", c."status"::text AS "status",
      c."statusReason", c."consentCreatedAt", c."consentExpiresAt",
      COALESCE((
        SELECT json_agg(json_build_object('id', a."id", 'displayName', a."displayName",
          'maskedNumber', a."maskedNumber") ORDER BY a."createdAt", a."id")
        FROM "BankAccount" a WHERE a."connectionId" = c."id"
      ), '[]'::json) AS "accounts"
    FROM "Connection" c
    WHERE c."userId" = ${userId}
    ORDER BY c."createdAt" DESC, c."id"`);
  return rows;
}

/** One connection, only if this user owns it. */
export function getConnectionForUser(id: string, userId: string) {
  return db().connection.findFirst({ where: { id, userId }, include: withAccounts });
}

/** Connections the user should reconfirm now, in one query; consentState() stays the only judge. */
export async function getDueConnections(userId: string, at: Date) {
  const { rows } = await sql<{
    id: string;
    providerName: string;
    consentExpiresAt: Date;
    status: ConnectionStatus;
  }>(Prisma.sql`
    SELECT "id", "providerName", "consentExpiresAt", "status"::text AS "status"
    FROM "Connection"
    WHERE "userId" = ${userId} AND ("status" = 'NEEDS_BANK_AUTH'
      OR ("status" = 'ACTIVE' AND "consentExpiresAt" <= ${addDays(at, EXPIRING_SOON_DAYS)}::timestamp(3)))
    ORDER BY "consentExpiresAt", "id"`);
  return rows.filter((row) => isDue(consentState(row, at)));
}

// ---- auth states (single-use `state` for a trip to the bank) ----

export function createAuthState(data: {
  stateHash: string;
  userId: string;
  purpose: AuthStatePurpose;
  connectionIds: string[];
  providerId?: string;
  codeVerifierSealed?: string;
  redirectUri: string;
  expiresAt: Date;
  browserHash?: string;
}) {
  return db().authState.create({ data, select: { id: true } });
}

export function findAuthState(stateHash: string) {
  return db().authState.findUnique({ where: { stateHash } });
}

/** Marks a state used; false when it was already used or has expired (so exactly one caller wins). */
export async function consumeAuthState(id: string, at: Date): Promise<boolean> {
  const { count } = await db().authState.updateMany({
    where: { id, consumedAt: null, expiresAt: { gt: at } },
    data: { consumedAt: at },
  });
  return count === 1;
}

// ---- code exchanges (idempotent callback) ----

export function findCodeExchange(codeHash: string) {
  return db().codeExchange.findUnique({ where: { codeHash } });
}

/** Records a code before it is exchanged; null when another request already claimed it. */
export async function claimCodeExchange(codeHash: string, userId: string, outcome: string) {
  try {
    return await db().codeExchange.create({ data: { codeHash, userId, outcome }, select: { id: true } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
    throw error;
  }
}

export function recordExchangeOutcome(id: string, data: { outcome: string; connectionId?: string }) {
  return db().codeExchange.update({ where: { id }, data });
}

export function getCodeExchangeForUser(id: string, userId: string) {
  return db().codeExchange.findFirst({ where: { id, userId } });
}

// ---- storing a bank's answer (connect / reconnect) ----

export type BankSnapshot = {
  tokens: { accessTokenSealed: string; refreshTokenSealed?: string; tokenKeyId: string };
  accessTokenExpiresAt: Date;
  scopes: string[];
  credentialsId: string;
  providerId: string;
  providerName: string;
  providerLogoUrl: string | null;
  consentCreatedAt: Date;
  consentExpiresAt: Date;
  accounts: {
    truelayerAccountId: string;
    displayName: string;
    accountType: string;
    maskedNumber: string | null;
    currency: string;
  }[];
};

function connectionColumns(snapshot: BankSnapshot) {
  const { tokens, accounts: _accounts, ...facts } = snapshot;
  // A reconnect brings a new token family: never keep an old refresh token beside it.
  return { ...facts, ...tokens, refreshTokenSealed: tokens.refreshTokenSealed ?? null };
}

/**
 * The user's live connection this bank answer is for: the one a reconnect named, else the same
 * credentials at TrueLayer, else the same bank with exactly the same accounts.
 */
export async function findConnectionToReplace(userId: string, snapshot: BankSnapshot, namedId?: string) {
  const candidates = await db().connection.findMany({
    where: {
      userId,
      status: { not: "REVOKED" },
      OR: [
        ...(namedId ? [{ id: namedId }] : []),
        { credentialsId: snapshot.credentialsId },
        { providerId: snapshot.providerId },
      ],
    },
    include: { accounts: { select: { truelayerAccountId: true } } },
  });
  const accountKey = (ids: string[]) => [...ids].sort().join("\n");
  const wanted = accountKey(snapshot.accounts.map((a) => a.truelayerAccountId));
  return (
    candidates.find((c) => c.id === namedId) ??
    candidates.find((c) => c.credentialsId === snapshot.credentialsId) ??
    candidates.find(
      (c) =>
        c.providerId === snapshot.providerId &&
        accountKey(c.accounts.map((a) => a.truelayerAccountId)) === wanted,
    ) ??
    null
  );
}

export async function createConnection(userId: string, snapshot: BankSnapshot) {
  return db().connection.create({
    data: {
      userId,
      ...connectionColumns(snapshot),
      accounts: { create: snapshot.accounts },
      events: {
        create: { type: "CONNECTED", consentExpiresAt: snapshot.consentExpiresAt, createdAt: now() },
      },
    },
    select: { id: true },
  });
}

/**
 * Replaces a connection's tokens, accounts and consent dates in place (compare-and-set on version),
 * so its history stays and the bank is not listed twice. False when someone else wrote first.
 */
export async function replaceConnection(id: string, version: number, snapshot: BankSnapshot) {
  return db().$transaction(async (tx) => {
    const { count } = await tx.connection.updateMany({
      where: { id, version, status: { not: "REVOKED" } },
      data: {
        ...connectionColumns(snapshot),
        status: "ACTIVE",
        statusReason: null,
        leaseId: null,
        leasePurpose: null,
        leaseExpiresAt: null,
        version: { increment: 1 },
      },
    });
    if (count !== 1) return false;
    const keep = snapshot.accounts.map((a) => a.truelayerAccountId);
    await tx.bankAccount.deleteMany({ where: { connectionId: id, truelayerAccountId: { notIn: keep } } });
    for (const account of snapshot.accounts) {
      const { truelayerAccountId, ...rest } = account;
      await tx.bankAccount.upsert({
        where: { connectionId_truelayerAccountId: { connectionId: id, truelayerAccountId } },
        create: { connectionId: id, ...account },
        update: rest,
      });
    }
    await tx.connectionEvent.create({
      data: {
        connectionId: id,
        type: "RECONNECTED",
        consentExpiresAt: snapshot.consentExpiresAt,
        createdAt: now(),
      },
    });
    return true;
  });
}

// ---- stopping ----

/**
 * Stores tokens from a refresh while keeping the lease (compare-and-set on lease and version), so
 * the caller can go on to use them; returns the lease at its new version.
 */
export async function storeRefreshedTokens(
  lease: Lease,
  data: {
    accessTokenSealed: string;
    refreshTokenSealed?: string;
    tokenKeyId: string;
    accessTokenExpiresAt: Date;
  },
): Promise<Lease> {
  const { count } = await db().connection.updateMany({
    where: { id: lease.connectionId, leaseId: lease.leaseId, version: lease.version },
    data: { ...data, version: { increment: 1 } },
  });
  if (count !== 1) throw new LostLeaseError();
  return { ...lease, version: lease.version + 1 };
}

const revokedColumns = (reason: string) =>
  ({
    accessTokenSealed: null,
    refreshTokenSealed: null,
    accessTokenExpiresAt: null,
    status: "REVOKED",
    statusReason: reason,
  }) as const;

/**
 * Removes our copy of the tokens and marks the connection stopped, with its event, in one
 * transaction. Stopping always wins: if the lease was lost, the row is revoked anyway and its
 * version bumped, so a call still in flight cannot store tokens again.
 */
export async function revokeConnection(lease: Lease, userId: string, reason: string): Promise<void> {
  await db().$transaction(async (tx) => {
    try {
      await completeLease(tx, lease, revokedColumns(reason));
    } catch (error) {
      if (!(error instanceof LostLeaseError)) throw error;
      await tx.connection.updateMany({
        where: { id: lease.connectionId, userId },
        data: {
          ...revokedColumns(reason),
          leaseId: null,
          leasePurpose: null,
          leaseExpiresAt: null,
          version: { increment: 1 },
        },
      });
    }
    await tx.connectionEvent.create({
      data: { connectionId: lease.connectionId, type: "REVOKED", reason, createdAt: now() },
    });
  });
}
