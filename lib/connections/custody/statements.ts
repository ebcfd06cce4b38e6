import "server-only";
import { type ConnectionStatus, Prisma } from "@prisma/client";
import { newId } from "@/lib/ids";
import { type EventInput, insertEventStatement } from "../store/connection-events";
import { type Settlement, settleStatement } from "../store/exchanges";
import { claimedReadColumns, claimOnWrite } from "./balance-claims";
import { columnsOf, setList } from "./columns";
import type { BankSnapshot } from "./snapshot";
import { eventOf, type Retired, type Transition } from "./transitions";

// Long enough for one TrueLayer call with its timeout; a crashed request's lease lapses after it.
export const LEASE_MS = 60_000;

export type Lease = { connectionId: string; leaseId: string; version: number };

/** The row as a holder sees it: its tokens (no other request can spend them meanwhile) and its facts. */
export type HeldRow = {
  connectionId: string;
  userId: string;
  status: ConnectionStatus;
  refreshTokenSealed: string | null;
  accessTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
  consentExpiresAt: Date;
  credentialsId: string | null;
  providerId: string;
  providerName: string;
  tripReconfirmationId: string | null;
  outcomeUnknownAt: Date | null;
  grantLostAt: Date | null;
  lastResult: string | null;
  lastResultReason: string | null;
  lastResultAt: Date | null;
  lastReconfirmationId: string | null;
  lastCopyHash: string | null;
  leaseExpiresAt: Date | null;
};
export type Claimed = Lease & HeldRow;

const ROW = Prisma.sql`c."userId", c."status"::text AS "status", c."refreshTokenSealed", c."accessTokenSealed",
  c."accessTokenExpiresAt", c."consentExpiresAt", c."credentialsId", c."providerId", c."providerName",
  c."tripReconfirmationId", c."outcomeUnknownAt", c."grantLostAt", c."lastResult", c."lastResultReason", c."lastResultAt",
  c."lastReconfirmationId", c."leaseExpiresAt",
  (SELECT r."copyHash" FROM "Reconfirmation" r WHERE r."id" = c."lastReconfirmationId") AS "lastCopyHash"`;

// Under concurrent claims PostgreSQL re-checks the lease condition on the row each waiter finally sees: one wins.
// With `report`, rows another request holds come back too, unclaimed (leaseId null).
export function claimStatement(
  which: string[] | { credentialsId: string },
  userId: string | null,
  purpose: string,
  at: Date,
  report = false,
): Prisma.Sql {
  const owner = userId === null ? Prisma.empty : Prisma.sql`AND c."userId" = ${userId}`;
  const ids = Array.isArray(which)
    ? Prisma.sql`${which}::text[]`
    : Prisma.sql`ARRAY(SELECT "id" FROM "Connection" WHERE "credentialsId" = ${which.credentialsId}
        AND "status" <> 'REVOKED' ORDER BY "createdAt" DESC LIMIT 1)`;
  const claimed = Prisma.sql`
    UPDATE "Connection" c
    SET "leaseId" = gen_random_uuid()::text, "leasePurpose" = ${purpose},
      "leaseExpiresAt" = ${new Date(at.getTime() + LEASE_MS)}::timestamp(3),
      "version" = c."version" + 1, "updatedAt" = ${at}::timestamp(3)
    WHERE c."id" = ANY(${ids}) ${owner}
      AND (c."leaseExpiresAt" IS NULL OR c."leaseExpiresAt" < ${at}::timestamp(3))
    RETURNING c."id" AS "connectionId", c."leaseId", c."version", ${ROW}`;
  if (!report) return claimed;
  return Prisma.sql`
    WITH claimed AS (${claimed})
    SELECT * FROM claimed
    UNION ALL
    SELECT c."id", NULL, c."version", ${ROW} FROM "Connection" c
    WHERE c."id" = ANY(${ids}) ${owner}
      AND NOT EXISTS (SELECT 1 FROM claimed x WHERE x."connectionId" = c."id")`;
}

export const releaseStatement = (lease: Lease) => Prisma.sql`
  UPDATE "Connection" SET "leaseId" = NULL, "leasePurpose" = NULL, "leaseExpiresAt" = NULL
  WHERE "id" = ${lease.connectionId} AND "leaseId" = ${lease.leaseId}`;

export type CommitTarget = { lease: Lease } | { connectionId: string; userId: string; force: true };

// The tokens this statement cleared or replaced (read from the locked row, so exact), queued for revocation.
function retireStatement(retire: Retired, at: Date): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "PendingRevoke" ("id", "providerId", "providerName", "credentialsId", "reason", "accessTokenSealed",
      "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "unansweredAt", "nextAttemptAt", "createdAt")
    SELECT ${newId()}, old."providerId", old."providerName", old."credentialsId", ${retire.reason},
      old."accessTokenSealed", old."refreshTokenSealed", old."tokenKeyId", old."accessTokenExpiresAt",
      COALESCE(${retire.unanswered ? at : null}::timestamp(3), old."outcomeUnknownAt", old."grantLostAt"),
      ${at}::timestamp(3), ${at}::timestamp(3)
    FROM old JOIN c ON c."id" = old."id"
    WHERE old."accessTokenSealed" IS NOT NULL OR old."refreshTokenSealed" IS NOT NULL
    RETURNING "id"`;
}

// Account ids can change when a user re-authenticates: the set is replaced, balances kept where the id stays.
export function accountsStatement(connectionId: string, snapshot: Pick<BankSnapshot, "accounts">, at: Date) {
  return Prisma.sql`
    incoming AS (
      SELECT x.*, row_number() OVER () AS "n" FROM json_to_recordset(${JSON.stringify(snapshot.accounts)}::json)
        AS x("truelayerAccountId" text, "displayName" text, "accountType" text, "maskedNumber" text,
          "fingerprint" text, "currency" text)
    ), gone AS (
      DELETE FROM "BankAccount" a WHERE a."connectionId" = ${connectionId} AND EXISTS (SELECT 1 FROM c)
        AND a."truelayerAccountId" NOT IN (SELECT "truelayerAccountId" FROM incoming)
    ), kept AS (
      INSERT INTO "BankAccount" ("id", "connectionId", "truelayerAccountId", "displayName", "accountType",
        "maskedNumber", "fingerprint", "currency", "createdAt")
      SELECT ${newId()} || lpad(i."n"::text, 3, '0'), c."id", i."truelayerAccountId", i."displayName",
        i."accountType", i."maskedNumber", i."fingerprint", i."currency", ${at}::timestamp(3)
      FROM c, incoming i
      ON CONFLICT ("connectionId", "truelayerAccountId") DO UPDATE SET "displayName" = EXCLUDED."displayName",
        "accountType" = EXCLUDED."accountType", "maskedNumber" = EXCLUDED."maskedNumber",
        "fingerprint" = EXCLUDED."fingerprint", "currency" = EXCLUDED."currency"
    )`;
}

// Data minimisation: once sharing stops, nothing read from the bank is kept (docs/decisions/047).
function eraseFiguresStatement(connectionId: string): Prisma.Sql {
  return Prisma.sql`
    figures AS (
      UPDATE "BankAccount" SET "balanceCurrent" = NULL, "balanceAvailable" = NULL, "balanceCurrency" = NULL,
        "balanceReadAt" = NULL
      WHERE "connectionId" = ${connectionId} AND EXISTS (SELECT 1 FROM c)
    )`;
}

function settlementOf(t: Transition, connectionId: string, userId?: string): Settlement | null {
  if (t.kind === "completed_at_bank" && t.exchangeId)
    return {
      id: t.exchangeId,
      outcome: { flow: "extend", status: "completed" },
      about: { connectionId, userId },
    };
  if (t.kind === "reconnected" && t.exchangeId)
    return { id: t.exchangeId, outcome: { flow: "connect", status: "reconnected" }, about: { connectionId } };
  if (t.kind === "cancelled_at_bank" && t.exchangeId)
    return { id: t.exchangeId, outcome: { flow: "extend", status: "failed", reason: "cancelled" } };
  return null;
}

/** One statement: row, facts (compare-and-set), event, retired grant, accounts, settled exchange, each if written. */
export function commitStatement(
  target: CommitTarget,
  t: Transition,
  at: Date,
  options: { userId?: string; keepLease?: boolean; claimRead?: { unattended: boolean } } = {},
): Prisma.Sql {
  const connectionId = "lease" in target ? target.lease.connectionId : target.connectionId;
  const event = eventOf(t);
  // Only a renewal that leaves the row readable (ACTIVE, consent ending later) claims its balance read.
  const claim =
    options.claimRead && t.kind === "extended" && t.consentExpiresAt > at
      ? claimOnWrite(at, options.claimRead.unattended)
      : undefined;
  const sets = [
    ...setList({ ...columnsOf(t, at), ...(event ? { factsEventAt: at } : {}) }),
    ...(claim?.sets ?? []),
  ];
  const returning = claim ? Prisma.sql`"id", "version", ${claim.returning}` : Prisma.sql`"id", "version"`;
  const where =
    "lease" in target
      ? Prisma.sql`"id" = ${connectionId} AND "leaseId" = ${target.lease.leaseId} AND "version" = ${target.lease.version}`
      : Prisma.sql`"id" = ${connectionId} AND "userId" = ${target.userId}`;
  const retire = "retire" in t ? t.retire : undefined;
  const update = Prisma.sql`
      UPDATE "Connection" SET ${sets.length ? Prisma.sql`${Prisma.join(sets, ", ")}, ` : Prisma.empty}
        ${options.keepLease ? Prisma.empty : Prisma.sql`"leaseId" = NULL, "leasePurpose" = NULL, "leaseExpiresAt" = NULL, `}"version" = "version" + 1,
        "updatedAt" = ${at}::timestamp(3)`;
  const parts: Prisma.Sql[] = retire
    ? [
        Prisma.sql`old AS (SELECT "id", "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt",
          "credentialsId", "providerId", "providerName", "outcomeUnknownAt", "grantLostAt" FROM "Connection"
          WHERE ${where} FOR UPDATE)`,
        Prisma.sql`c AS (${update} WHERE "id" = (SELECT "id" FROM old) RETURNING ${returning})`,
        Prisma.sql`q AS (${retireStatement(retire, at)})`,
      ]
    : [Prisma.sql`c AS (${update} WHERE ${where} RETURNING ${returning})`];
  if (event) {
    const input: EventInput = { ...event, connectionId };
    parts.push(Prisma.sql`e AS (${insertEventStatement(input, Prisma.sql`FROM c`, at)})`);
  }
  if (t.kind === "completed_at_bank" || t.kind === "reconnected")
    parts.push(accountsStatement(connectionId, t.snapshot, at));
  if (t.kind === "revoked") parts.push(eraseFiguresStatement(connectionId));
  const settle = settlementOf(t, connectionId, options.userId);
  if (settle) parts.push(Prisma.sql`x AS (${settleStatement(settle)} AND EXISTS (SELECT 1 FROM c))`);
  const queued = retire ? Prisma.sql`(SELECT "id" FROM q)` : Prisma.sql`NULL::text`;
  const read = claim ? Prisma.sql`, ${claimedReadColumns}` : Prisma.empty;
  return Prisma.sql`WITH ${Prisma.join(parts, ", ")} SELECT "id", "version", ${queued} AS "queuedId"${read} FROM c`;
}
