import "server-only";
import { type AuthStatePurpose, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { type Sql, sql, transaction } from "@/lib/db";
import { newId } from "@/lib/ids";
import { type BankSnapshot, queueSnapshotGrantStatement } from "../custody";
import { type ExchangeOutcome, settleCodeExchange } from "./exchanges";

// A bank answer no browser vouched for, sealed, touching no connection till the trip's owner signs in (decision 016).

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

const fromJson = (s: StoredSnapshot): BankSnapshot => ({
  ...s,
  accessTokenExpiresAt: new Date(s.accessTokenExpiresAt),
  consentCreatedAt: new Date(s.consentCreatedAt),
  consentExpiresAt: new Date(s.consentExpiresAt),
});

type Row = Omit<Parked, "snapshot"> & { snapshot: StoredSnapshot; browserHash: string; expiresAt: Date };
const SELECT = Prisma.sql`
  SELECT "id", "exchangeId", "purpose"::text AS "purpose", "ownerId", "connectionIds", "providerId", "browserHash",
    "snapshot", "expiresAt"
  FROM "ParkedReturn"`;
const parkedOf = ({ browserHash: _b, expiresAt: _e, snapshot, ...row }: Row): Parked => ({
  ...row,
  snapshot: fromJson(snapshot),
});

const flowOf = (purpose: AuthStatePurpose) => (purpose === "EXTEND" ? "extend" : "connect");

// Its exchange says "parked", in the same transaction.
export async function parkReturn(
  input: Omit<Parked, "id" | "providerId"> & { browserHash: string; expiresAt: Date },
) {
  await transaction(async (tx) => {
    await tx(Prisma.sql`
      INSERT INTO "ParkedReturn" ("id", "exchangeId", "purpose", "ownerId", "connectionIds", "providerId",
        "browserHash", "snapshot", "expiresAt", "createdAt")
      VALUES (${newId()}, ${input.exchangeId}, ${input.purpose}::"AuthStatePurpose", ${input.ownerId},
        ${input.connectionIds}::text[], ${input.snapshot.providerId}, ${input.browserHash},
        ${JSON.stringify(input.snapshot)}::jsonb, ${input.expiresAt}::timestamp(3), ${now()}::timestamp(3))`);
    await settleCodeExchange(
      input.exchangeId,
      { flow: flowOf(input.purpose), status: "parked" },
      { userId: input.ownerId },
      tx,
    );
  });
}

export async function findParked(exchangeId: string, browserHash: string | null): Promise<Parked | null> {
  if (!browserHash) return null;
  const { rows } = await sql<Row>(Prisma.sql`${SELECT} WHERE "exchangeId" = ${exchangeId}`);
  const row = rows[0];
  if (!row || row.browserHash !== browserHash || row.expiresAt <= now()) return null;
  return parkedOf(row);
}

export async function expiredParked(at: Date, limit: number): Promise<Parked[]> {
  const { rows } = await sql<Row>(Prisma.sql`
    ${SELECT} WHERE "expiresAt" <= ${at}::timestamp(3) ORDER BY "expiresAt" LIMIT ${limit}`);
  return rows.map(parkedOf);
}

export async function dropParked(id: string, tx: Sql): Promise<void> {
  await tx(Prisma.sql`DELETE FROM "ParkedReturn" WHERE "id" = ${id}`);
}

// Deleted with its grant queued for revocation (custody/queue.ts decides whether a connection still holds it).
export async function forgetParked(parked: Parked, reason: string) {
  const outcome: ExchangeOutcome = { flow: flowOf(parked.purpose), status: "failed", reason };
  const s = parked.snapshot;
  await transaction(async (tx) => {
    const { rowCount } = await tx(Prisma.sql`DELETE FROM "ParkedReturn" WHERE "id" = ${parked.id}`);
    if (rowCount !== 1) return;
    await tx(queueSnapshotGrantStatement(s, "parked"));
    await settleCodeExchange(parked.exchangeId, outcome, {}, tx);
  });
}
