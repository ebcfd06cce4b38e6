import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { insertEventStatement } from "../store/connection-events";
import { replaceableStatement } from "../store/connections";
import { type Settlement, settleStatement } from "../store/exchanges";
import type { BalanceReadClaim } from "./balance-claims";
import type { BankSnapshot } from "./snapshot";

// `read`: the new connection's balance read, claimed by its INSERT (as balance-claims.ts claims one).
function insertConnection(
  id: string,
  userId: string,
  snapshot: BankSnapshot,
  at: Date,
  read: { unattended: boolean } | undefined,
  unless: Prisma.Sql,
) {
  const t = snapshot.tokens;
  const counted = read?.unattended
    ? Prisma.sql`ARRAY[${at}::timestamp(3)]`
    : Prisma.sql`'{}'::timestamp(3)[]`;
  const claim = read ? Prisma.sql`, ${at}::timestamp(3), ${counted}` : Prisma.empty;
  return Prisma.sql`
    INSERT INTO "Connection" ("id", "userId", "providerId", "providerName", "providerLogoUrl", "credentialsId",
      "scopes", "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt",
      "consentCreatedAt", "consentExpiresAt", "factsEventAt", "createdAt", "updatedAt"
      ${read ? Prisma.sql`, "balancesCheckedAt", "unattendedReadsAt"` : Prisma.empty})
    SELECT ${id}, ${userId}, ${snapshot.providerId}, ${snapshot.providerName}, ${snapshot.providerLogoUrl},
      ${snapshot.credentialsId}, ${snapshot.scopes}::text[], ${t.accessTokenSealed}, ${t.refreshTokenSealed ?? null},
      ${t.tokenKeyId}, ${snapshot.accessTokenExpiresAt}::timestamp(3), ${snapshot.consentCreatedAt}::timestamp(3),
      ${snapshot.consentExpiresAt}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3)
      ${claim}
    ${unless}`;
}

type Created = { id: string; read?: BalanceReadClaim };

async function create(
  userId: string,
  snapshot: BankSnapshot,
  options: {
    settle?: (connectionId: string) => Settlement;
    at?: Date;
    unlessReplacing?: { namedId?: string };
    claimRead?: { unattended: boolean };
  },
): Promise<Created | { replaces: string }> {
  const at = options.at ?? now();
  const id = newId();
  const event = insertEventStatement(
    { connectionId: id, type: "CONNECTED", consentExpiresAt: snapshot.consentExpiresAt },
    Prisma.sql`FROM conn`,
    at,
  );
  // Claimed only when the new row is readable, by the same rules as any other claim.
  const read =
    options.claimRead && snapshot.scopes.includes("balance") && snapshot.consentExpiresAt > at
      ? options.claimRead
      : undefined;
  const found = options.unlessReplacing
    ? replaceableStatement(userId, snapshot, options.unlessReplacing.namedId)
    : Prisma.sql`SELECT NULL::text AS "id" WHERE false`;
  const settle = options.settle
    ? Prisma.sql`, settled AS (${settleStatement(options.settle(id))} AND EXISTS (SELECT 1 FROM conn))`
    : Prisma.empty;
  const { rows } = await sql<{
    replaces: string | null;
    id: string | null;
    accounts: BalanceReadClaim["accounts"];
  }>(
    Prisma.sql`
    WITH found AS (${found}),
    conn AS (${insertConnection(id, userId, snapshot, at, read, Prisma.sql`WHERE NOT EXISTS (SELECT 1 FROM found)`)}
      RETURNING "id"),
    accounts AS (
      INSERT INTO "BankAccount" ("id", "connectionId", "truelayerAccountId", "displayName", "accountType",
        "maskedNumber", "fingerprint", "currency", "createdAt")
      SELECT ${newId()} || lpad(x."n"::text, 3, '0'), conn."id", x."truelayerAccountId", x."displayName",
        x."accountType", x."maskedNumber", x."fingerprint", x."currency", ${at}::timestamp(3)
      FROM conn, json_to_recordset(${JSON.stringify(snapshot.accounts.map((a, n) => ({ ...a, n: n + 1 })))}::json)
        AS x("truelayerAccountId" text, "displayName" text, "accountType" text, "maskedNumber" text,
          "fingerprint" text, "currency" text, "n" int)
      RETURNING "id", "truelayerAccountId"
    ),
    event AS (${event})
    ${settle}
    SELECT (SELECT "id" FROM found) AS "replaces", (SELECT "id" FROM conn) AS "id",
      COALESCE((SELECT json_agg(json_build_object('id', a."id", 'truelayerAccountId', a."truelayerAccountId")
        ORDER BY a."id") FROM accounts a), '[]'::json) AS "accounts"`,
  );
  const row = rows[0];
  if (row?.replaces) return { replaces: row.replaces };
  if (!row?.id) throw new Error("the new connection was not stored");
  if (!read) return { id };
  const t = snapshot.tokens;
  return {
    id,
    read: {
      connectionId: id,
      userId,
      accessTokenSealed: t.accessTokenSealed,
      accessTokenExpiresAt: snapshot.accessTokenExpiresAt,
      accounts: row.accounts,
    },
  };
}

/** One statement: the connection, its accounts, its event and (given one) the code exchange it settles. */
export async function createConnection(
  userId: string,
  snapshot: BankSnapshot,
  settle?: (connectionId: string) => Settlement,
  at: Date = now(),
): Promise<{ id: string }> {
  const created = await create(userId, snapshot, { settle, at });
  if ("replaces" in created) throw new Error("unreachable: nothing to replace was asked for");
  return { id: created.id };
}

/** A connect's answer in one statement: the live connection it replaces (replaceableStatement) is returned for the
 * caller to commit onto under its lease; else the new one is created with accounts, event, settlement and its first
 * balance read claimed (`claimRead`). */
export function createUnlessReplacing(
  userId: string,
  snapshot: BankSnapshot,
  options: {
    namedId?: string;
    settle?: (connectionId: string) => Settlement;
    claimRead?: { unattended: boolean };
  },
): Promise<Created | { replaces: string }> {
  return create(userId, snapshot, {
    settle: options.settle,
    claimRead: options.claimRead,
    unlessReplacing: { namedId: options.namedId },
  });
}
