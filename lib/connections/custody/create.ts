import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { insertEventStatement } from "../store/connection-events";
import { type Settlement, settleStatement } from "../store/exchanges";
import type { BankSnapshot } from "./snapshot";

function insertConnection(id: string, userId: string, snapshot: BankSnapshot, at: Date) {
  const t = snapshot.tokens;
  return Prisma.sql`
    INSERT INTO "Connection" ("id", "userId", "providerId", "providerName", "providerLogoUrl", "credentialsId",
      "scopes", "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt",
      "consentCreatedAt", "consentExpiresAt", "factsEventAt", "createdAt", "updatedAt")
    VALUES (${id}, ${userId}, ${snapshot.providerId}, ${snapshot.providerName}, ${snapshot.providerLogoUrl},
      ${snapshot.credentialsId}, ${snapshot.scopes}::text[], ${t.accessTokenSealed}, ${t.refreshTokenSealed ?? null},
      ${t.tokenKeyId}, ${snapshot.accessTokenExpiresAt}::timestamp(3), ${snapshot.consentCreatedAt}::timestamp(3),
      ${snapshot.consentExpiresAt}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3))`;
}

/** One statement: the connection, its accounts, its event and (given one) the code exchange it settles. */
export async function createConnection(
  userId: string,
  snapshot: BankSnapshot,
  settle?: (connectionId: string) => Settlement,
  at: Date = now(),
): Promise<{ id: string }> {
  const id = newId();
  const event = insertEventStatement(
    { connectionId: id, type: "CONNECTED", consentExpiresAt: snapshot.consentExpiresAt },
    Prisma.sql`FROM conn`,
    at,
  );
  await sql(Prisma.sql`
    WITH conn AS (${insertConnection(id, userId, snapshot, at)} RETURNING "id"),
    accounts AS (
      INSERT INTO "BankAccount" ("id", "connectionId", "truelayerAccountId", "displayName", "accountType",
        "maskedNumber", "fingerprint", "currency", "createdAt")
      SELECT ${newId()} || lpad(x."n"::text, 3, '0'), conn."id", x."truelayerAccountId", x."displayName",
        x."accountType", x."maskedNumber", x."fingerprint", x."currency", ${at}::timestamp(3)
      FROM conn, json_to_recordset(${JSON.stringify(snapshot.accounts.map((a, n) => ({ ...a, n: n + 1 })))}::json)
        AS x("truelayerAccountId" text, "displayName" text, "accountType" text, "maskedNumber" text,
          "fingerprint" text, "currency" text, "n" int)
    ),
    event AS (${event})
    ${settle ? Prisma.sql`, settled AS (${settleStatement(settle(id))})` : Prisma.empty}
    SELECT "id" FROM conn`);
  return { id };
}
