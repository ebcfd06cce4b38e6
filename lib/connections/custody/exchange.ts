import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { type Sql, sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { failureFields, log } from "@/lib/log";
import type { TokenSet } from "@/lib/truelayer";
import { openSecret } from "../sealed-tokens";
import { type ExchangeOutcome, encodeOutcome } from "../store/exchanges";
import { truelayer } from "../truelayer-client";
import { revokeQueuedNow } from "./queue";
import { newTokensFrom } from "./revoke-grant";

// A code's tokens live on its CodeExchange row until a connection or the revoke queue takes them (decision 043).

/** The code exchange itself, its answer stored before any other call is made with it. */
export async function exchangeAndHold(
  exchangeId: string,
  input: { code: string; redirectUri: string; codeVerifier?: string },
): Promise<TokenSet> {
  const tokens = await truelayer().exchangeCode(input);
  const grant = newTokensFrom(tokens);
  await sql(Prisma.sql`
    UPDATE "CodeExchange" SET "grantSealed" = ${JSON.stringify(grant)}::jsonb WHERE "id" = ${exchangeId}`);
  return tokens;
}

export function retireExchangeGrantStatement(
  exchangeId: string,
  outcome: ExchangeOutcome,
  retire: { credentialsId: string | null; reason: string; providerId?: string; providerName?: string },
  about: { userId?: string | null } = {},
): Prisma.Sql {
  const at = now();
  return Prisma.sql`
    WITH old AS (SELECT "id", "grantSealed" AS g FROM "CodeExchange" WHERE "id" = ${exchangeId} FOR UPDATE),
    x AS (
      UPDATE "CodeExchange" SET "outcome" = ${encodeOutcome(outcome)}, "grantSealed" = NULL
        ${about.userId === undefined ? Prisma.empty : Prisma.sql`, "userId" = ${about.userId}`}
      WHERE "id" = (SELECT "id" FROM old) RETURNING "id"
    )
    INSERT INTO "PendingRevoke" ("id", "providerId", "providerName", "credentialsId", "reason", "accessTokenSealed",
      "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "nextAttemptAt", "createdAt")
    SELECT ${newId()}, ${retire.providerId ?? "unknown"}, ${retire.providerName ?? "Your bank"}, ${retire.credentialsId},
      ${retire.reason}, old.g->>'accessTokenSealed', old.g->>'refreshTokenSealed', old.g->>'tokenKeyId',
      (old.g->>'accessTokenExpiresAt')::timestamptz AT TIME ZONE 'UTC', ${at}::timestamp(3), ${at}::timestamp(3)
    FROM old JOIN x ON x."id" = old."id" WHERE old.g IS NOT NULL
    RETURNING "id"`;
}

/** Queues the exchange's grant and tries to revoke it at once; the queue retries what TrueLayer does not confirm. */
export async function retireExchangeGrant(
  ...args: Parameters<typeof retireExchangeGrantStatement>
): Promise<void> {
  const { rows } = await sql<{ id: string }>(retireExchangeGrantStatement(...args));
  for (const row of rows)
    await revokeQueuedNow(row.id).catch((error: unknown) =>
      log.warn("custody.revoke_now_failed", { reason: "retired_exchange", ...failureFields(error) }),
    );
}

/** Grants a crash left on their exchange row (between the exchange and the decision) go to the revoke queue. */
export async function sweepUnclaimedGrants(olderThanMs = 10 * 60_000, limit = 50): Promise<number> {
  const before = new Date(now().getTime() - olderThanMs);
  const { rows } = await sql<{ id: string; outcome: string }>(Prisma.sql`
    SELECT "id", "outcome" FROM "CodeExchange"
    WHERE "grantSealed" IS NOT NULL AND "createdAt" < ${before}::timestamp(3) ORDER BY "createdAt" LIMIT ${limit}`);
  for (const row of rows) {
    const flow = row.outcome.startsWith("extend") ? "extend" : "connect";
    await retireExchangeGrant(
      row.id,
      { flow, status: "failed", reason: "not_saved" },
      { credentialsId: null, reason: flow === "extend" ? "reauth_unclaimed" : "unclaimed" },
    );
  }
  return rows.length;
}

/** The exchange's held grant, opened: only for the code that still needs it (a connect's reads). */
export async function heldExchangeGrant(exchangeId: string, tx?: Sql) {
  const statement = Prisma.sql`SELECT "grantSealed" AS g FROM "CodeExchange" WHERE "id" = ${exchangeId}`;
  const { rows } = tx
    ? await tx<{ g: { accessTokenSealed: string } | null }>(statement)
    : await sql(statement);
  const g = (rows[0] as { g: { accessTokenSealed: string } | null } | undefined)?.g;
  return g ? openSecret(g.accessTokenSealed) : null;
}
