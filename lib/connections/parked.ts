import "server-only";
import type { AuthStatePurpose, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { db } from "@/lib/db";
import { redact } from "@/lib/truelayer";
import { settleCodeExchange } from "./bank-trip-queries";
import type { BankSnapshot } from "./queries";
import { openSecret } from "./tokens";
import { truelayer } from "./truelayer";

/** How long an unvouched bank return waits for its browser to sign in as the trip's owner. */
export const PARK_MS = 30 * 60 * 1000;

export type Parked = {
  id: string;
  exchangeId: string;
  purpose: AuthStatePurpose;
  ownerId: string | null;
  connectionIds: string[];
  providerId: string;
  snapshot: BankSnapshot;
};

type StoredSnapshot = Omit<BankSnapshot, "accessTokenExpiresAt" | "consentCreatedAt" | "consentExpiresAt"> & {
  accessTokenExpiresAt: string;
  consentCreatedAt: string;
  consentExpiresAt: string;
};

const toJson = (s: BankSnapshot): StoredSnapshot => ({
  ...s,
  accessTokenExpiresAt: s.accessTokenExpiresAt.toISOString(),
  consentCreatedAt: s.consentCreatedAt.toISOString(),
  consentExpiresAt: s.consentExpiresAt.toISOString(),
});

const fromJson = (s: StoredSnapshot): BankSnapshot => ({
  ...s,
  accessTokenExpiresAt: new Date(s.accessTokenExpiresAt),
  consentCreatedAt: new Date(s.consentCreatedAt),
  consentExpiresAt: new Date(s.consentExpiresAt),
});

const outcomePrefix = (purpose: AuthStatePurpose) => (purpose === "EXTEND" ? "extend" : "connect");

/** Keeps an unvouched return's answer, sealed, touching no connection; its exchange says "parked". */
export async function parkReturn(input: {
  exchangeId: string;
  purpose: AuthStatePurpose;
  ownerId: string | null;
  connectionIds: string[];
  snapshot: BankSnapshot;
  browserHash: string;
}): Promise<void> {
  await db().$transaction(async (tx) => {
    await tx.parkedReturn.create({
      data: {
        exchangeId: input.exchangeId,
        purpose: input.purpose,
        ownerId: input.ownerId,
        connectionIds: input.connectionIds,
        providerId: input.snapshot.providerId,
        browserHash: input.browserHash,
        snapshot: toJson(input.snapshot) as unknown as Prisma.InputJsonObject,
        expiresAt: new Date(now().getTime() + PARK_MS),
      },
    });
    await settleCodeExchange(
      input.exchangeId,
      { outcome: `${outcomePrefix(input.purpose)}:parked`, userId: input.ownerId },
      tx,
    );
  });
}

/** The parked return this browser holds the cookie for, while it lasts. */
export async function findParked(exchangeId: string, browserHash: string | null): Promise<Parked | null> {
  if (!browserHash) return null;
  const row = await db().parkedReturn.findUnique({ where: { exchangeId } });
  if (!row || row.browserHash !== browserHash || row.expiresAt <= now()) return null;
  return {
    id: row.id,
    exchangeId: row.exchangeId,
    purpose: row.purpose,
    ownerId: row.ownerId,
    connectionIds: row.connectionIds,
    providerId: row.providerId,
    snapshot: fromJson(row.snapshot as unknown as StoredSnapshot),
  };
}

/** Removes a parked return once it has been attached (its tokens now live on the connection). */
export async function dropParked(id: string, tx: Prisma.TransactionClient): Promise<void> {
  await tx.parkedReturn.deleteMany({ where: { id } });
}

/**
 * Ends the access a parked return holds at TrueLayer, then forgets it. Deleted whatever TrueLayer
 * answers: the tokens must not outlive the decision, and the grant lapses on its own anyway. A grant
 * that a stored connection lives on (an extend return for credentials we hold) is not revoked: that
 * would end the owner's own connection. Only our copy goes.
 */
export async function discardParked(
  parked: Pick<Parked, "id" | "exchangeId" | "purpose" | "snapshot">,
  reason: "not_owner" | "expired",
): Promise<void> {
  const inUse =
    parked.purpose === "EXTEND" &&
    (await db().connection.count({
      where: { credentialsId: parked.snapshot.credentialsId, status: { not: "REVOKED" } },
    })) > 0;
  if (!inUse) {
    await truelayer()
      .deleteConnection(openSecret(parked.snapshot.tokens.accessTokenSealed))
      .catch((error) => console.warn("Parked return: revoke failed", redact(error)));
  }
  await db().$transaction(async (tx) => {
    await tx.parkedReturn.deleteMany({ where: { id: parked.id } });
    await settleCodeExchange(
      parked.exchangeId,
      { outcome: `${outcomePrefix(parked.purpose)}:failed:${reason}` },
      tx,
    );
  });
}

/** Revokes and deletes every parked return nobody finished in time (run from /callback and the cron). */
export async function sweepExpiredParks(at: Date = now(), limit = 50): Promise<number> {
  const rows = await db().parkedReturn.findMany({
    where: { expiresAt: { lte: at } },
    orderBy: { expiresAt: "asc" },
    take: limit,
  });
  for (const row of rows) {
    await discardParked({ ...row, snapshot: fromJson(row.snapshot as unknown as StoredSnapshot) }, "expired");
  }
  return rows.length;
}
