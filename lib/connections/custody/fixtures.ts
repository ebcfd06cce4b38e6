import "server-only";
import { type ConnectionStatus, Prisma } from "@prisma/client";
import { addDays, now } from "@/lib/clock";
import { type Sql, sql, transaction } from "@/lib/db";
import { newId } from "@/lib/ids";
import { claimCodeExchange, type ExchangeOutcome, settleCodeExchange } from "../store/exchanges";
import { type Columns, setList } from "./columns";
import { createConnection } from "./create";
import type { BankSnapshot } from "./snapshot";
import { accountsStatement } from "./statements";

// Only for the test kit (kit/), the demo and the bench: a real connect's writes, and rows in states no flow reaches
// in a test's time. Never imported by the app.

export type SeedColumns = Columns;

// Fixtures only: no lease is needed, but the version moves on so no call in flight can store over it.
function setColumns(id: string, columns: Columns): Prisma.Sql {
  return Prisma.sql`UPDATE "Connection" SET ${Prisma.join(setList(columns), ", ")}, "version" = "version" + 1
    WHERE "id" = ${id} RETURNING "id"`;
}

export async function storeSeededConnection(
  userId: string,
  snapshot: BankSnapshot,
  at?: Date,
): Promise<{ id: string }> {
  return createConnection(userId, snapshot, undefined, at);
}

export async function ageSeededConnection(id: string, days: number): Promise<void> {
  await transaction(async (tx) => {
    const { rows } = await tx<{ consentCreatedAt: Date; consentExpiresAt: Date }>(Prisma.sql`
      SELECT "consentCreatedAt", "consentExpiresAt" FROM "Connection" WHERE "id" = ${id} FOR UPDATE`);
    const row = rows[0];
    if (!row) throw new Error("No such connection to age.");
    await tx(
      setColumns(id, {
        consentCreatedAt: addDays(row.consentCreatedAt, -days),
        consentExpiresAt: addDays(row.consentExpiresAt, -days),
      }),
    );
  });
}

// For the bench: sealed dummy tokens, never sent anywhere. One statement per entry, generated in the database.
export async function seedBulkConnections(
  input: { prefix: string; count: number; daysLeft: number[]; sealed: string; keyId: string },
  run: Sql = (statement) => sql(statement),
): Promise<void> {
  for (const [n, days] of input.daysLeft.entries()) {
    await run(Prisma.sql`
      WITH c AS (
        INSERT INTO "Connection" ("id", "userId", "providerId", "providerName", "credentialsId", "scopes",
          "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "consentCreatedAt",
          "consentExpiresAt", "balancesCheckedAt", "updatedAt")
        SELECT 'c_' || ${input.prefix} || g || '_' || ${n}::int, ${input.prefix} || g, 'uk-ob-bench-' || ${n}::int,
          'Bench Bank ' || ${n}::int, 'cred-' || ${input.prefix} || g || '-' || ${n}::int,
          ARRAY['info','accounts','balance','offline_access'], ${input.sealed}, ${input.sealed}, ${input.keyId},
          now() + interval '1 hour', now() - interval '1 day' * (90 - ${days}::int),
          now() + interval '1 day' * ${days}::int, now(), now()
        FROM generate_series(1, ${input.count}::int) g
        RETURNING "id"
      )
      INSERT INTO "BankAccount" ("id", "connectionId", "truelayerAccountId", "displayName", "accountType",
        "maskedNumber", "currency", "balanceCurrent", "balanceAvailable", "balanceCurrency", "balanceReadAt")
      SELECT 'a_' || c."id" || '_' || k, c."id", 'acc-' || c."id" || '-' || k,
        (ARRAY['Current Account','Instant Saver'])[k], 'TRANSACTION', '•••• ' || (1000 + k), 'GBP',
        1234.56 * k, 1134.56 * k, 'GBP', now()
      FROM c, generate_series(1, 2) k`);
  }
}

export async function seedBareConnection(
  userId: string,
  row: {
    providerId: string;
    providerName: string;
    status?: ConnectionStatus;
    consentCreatedAt: Date;
    consentExpiresAt: Date;
    scopes?: string[];
    credentialsId?: string;
    accounts?: {
      displayName: string;
      maskedNumber?: string | null;
      truelayerAccountId?: string;
      fingerprint?: string | null;
    }[];
  },
): Promise<string> {
  const id = newId();
  const at = now();
  await transaction(async (tx) => {
    await tx(Prisma.sql`
      INSERT INTO "Connection" ("id", "userId", "providerId", "providerName", "credentialsId", "scopes", "status",
        "consentCreatedAt", "consentExpiresAt", "createdAt", "updatedAt")
      VALUES (${id}, ${userId}, ${row.providerId}, ${row.providerName}, ${row.credentialsId ?? null},
        ${row.scopes ?? ["info", "accounts", "balance", "offline_access"]}::text[],
        ${row.status ?? "ACTIVE"}::"ConnectionStatus", ${row.consentCreatedAt}::timestamp(3),
        ${row.consentExpiresAt}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3))`);
    const accounts = (row.accounts ?? []).map((a, i) => ({
      truelayerAccountId: a.truelayerAccountId ?? `acc-${id}-${i}`,
      displayName: a.displayName,
      accountType: "TRANSACTION",
      maskedNumber: a.maskedNumber ?? null,
      fingerprint: a.fingerprint ?? null,
      currency: "GBP",
    }));
    await tx(
      Prisma.sql`WITH c AS (SELECT ${id}::text AS "id"), ${accountsStatement(id, { accounts }, at)} SELECT 1`,
    );
  });
  return id;
}

export async function setSeededConnection(id: string, columns: Columns): Promise<void> {
  const { rowCount } = await sql(setColumns(id, columns));
  if (rowCount !== 1) throw new Error("No such connection.");
}

export async function seedCodeExchange(
  userId: string,
  outcome: ExchangeOutcome,
  connectionId: string | null = null,
): Promise<string> {
  const claimed = await claimCodeExchange(`seed-${newId()}`, { flow: outcome.flow, userId });
  if (!claimed.claimed) throw new Error("A fresh code was seen already.");
  await settleCodeExchange(claimed.id, outcome, { connectionId });
  return claimed.id;
}

// End dates spread evenly over the 90 days after the 14-day reminder window.
export async function seedSpreadConnections(
  input: { count: number; userPrefix: string; idPrefix: string },
  run: Sql = (statement) => sql(statement),
): Promise<void> {
  await run(Prisma.sql`
    INSERT INTO "Connection" ("id", "userId", "providerId", "providerName", "scopes", "consentCreatedAt",
      "consentExpiresAt", "updatedAt")
    SELECT ${input.idPrefix} || g, ${input.userPrefix} || (1 + (g - 1) / 3), 'uk-ob-bench-' || (g % 3),
      'Bench Bank ' || (g % 3), ARRAY['info','accounts'], now() - interval '90 days',
      now() + interval '1 minute' * (((g::bigint * 7919) % 129600) + 20161), now()
    FROM generate_series(1, ${input.count}::int) g`);
}

export async function seedManyForUser(input: {
  userId: string;
  count: number;
  idPrefix: string;
  providerId: string;
  providerName: string;
  from: Date;
  firstDay: number;
  spanDays: number;
}): Promise<void> {
  await sql(Prisma.sql`
    INSERT INTO "Connection" ("id", "userId", "providerId", "providerName", "consentCreatedAt", "consentExpiresAt", "updatedAt")
    SELECT ${input.idPrefix} || n, ${input.userId}, ${input.providerId}, ${input.providerName},
      ${input.from}::timestamp(3) - interval '70 days',
      ${input.from}::timestamp(3) + (${input.firstDay}::int + n % ${input.spanDays}::int) * interval '1 day', now()
    FROM generate_series(1, ${input.count}::int) AS n`);
}

export async function renumberSeededAccounts(connectionId: string): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "BankAccount" SET "truelayerAccountId" = 'renumbered-' || "id" WHERE "connectionId" = ${connectionId}`);
}

export async function seedBalances(
  connectionId: string,
  figures: { current: number; available: number; readAt: Date },
): Promise<void> {
  await sql(Prisma.sql`
    WITH c AS (
      UPDATE "Connection" SET "balancesCheckedAt" = ${figures.readAt}::timestamp(3) WHERE "id" = ${connectionId}
      RETURNING "id"
    )
    UPDATE "BankAccount" a SET "balanceCurrent" = ${figures.current}, "balanceAvailable" = ${figures.available},
      "balanceCurrency" = 'GBP', "balanceReadAt" = ${figures.readAt}::timestamp(3)
    FROM c WHERE a."connectionId" = c."id"`);
}

export async function seedQueuedGrant(row: {
  id: string;
  accessTokenSealed: string;
  refreshTokenSealed: string | null;
  tokenKeyId: string;
}): Promise<void> {
  await sql(Prisma.sql`
    INSERT INTO "PendingRevoke" ("id", "providerId", "providerName", "accessTokenSealed", "refreshTokenSealed",
      "tokenKeyId", "nextAttemptAt", "createdAt")
    VALUES (${row.id}, 'uk-cs-mock', 'Mock UK Bank', ${row.accessTokenSealed}, ${row.refreshTokenSealed},
      ${row.tokenKeyId}, ${now()}::timestamp(3), ${now()}::timestamp(3))`);
}

export async function clearRevokeQueue(): Promise<void> {
  await sql(Prisma.sql`DELETE FROM "PendingRevoke"`);
}

export async function seedHeldGrant(
  grant: { accessTokenSealed: string; tokenKeyId: string },
  parked?: object,
) {
  const id = newId();
  await sql(Prisma.sql`
    INSERT INTO "CodeExchange" ("id", "codeHash", "outcome", "grantSealed", "createdAt")
    VALUES (${id}, ${`seed-${id}`}, 'extend:pending', ${JSON.stringify(grant)}::jsonb, ${now()}::timestamp(3))`);
  if (parked)
    await sql(Prisma.sql`
      INSERT INTO "ParkedReturn" ("id", "exchangeId", "purpose", "connectionIds", "providerId", "browserHash",
        "snapshot", "expiresAt", "createdAt")
      VALUES (${newId()}, ${id}, 'CONNECT', '{}', 'uk-cs-mock', 'b', ${JSON.stringify(parked)}::jsonb,
        ${new Date(now().getTime() + 600_000)}::timestamp(3), ${now()}::timestamp(3))`);
  return id;
}

export async function setSeededFingerprints(connectionId: string, prefix: string): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "BankAccount" SET "fingerprint" = ${prefix} || "id" WHERE "connectionId" = ${connectionId}`);
}

/** The scale bench's day (scripts/bench/day.ts): `count` connections, 3 per user, sealed dummy tokens, ends spread
 * over the 90 days after the 14-day reminder window. One user in 20 was seen last week, their connections read (and
 * refreshed) in the last day, two accounts each; other refresh tokens last used within 25 days, spread evenly. So
 * nothing is due now, and each quarter hour brings 1/96 of a day's reminders, keep-alive refreshes and reads. */
export async function seedDayConnections(
  input: { count: number; sealed: string; keyId: string; seenEvery: number },
  run: Sql = (statement) => sql(statement),
): Promise<void> {
  const users = Math.ceil(input.count / 3);
  await run(Prisma.sql`
    INSERT INTO "User" ("id", "email", "name", "updatedAt")
    SELECT 'du' || g, 'du' || g || '@bench.example', 'Day User ' || g, now() FROM generate_series(1, ${users}::int) g`);
  await run(Prisma.sql`
    INSERT INTO "Session" ("id", "sessionToken", "userId", "expires", "lastSeenAt")
    SELECT 'ds' || g, 'day-session-' || g, 'du' || g, now() + interval '30 days',
      now() - interval '1 minute' * ((g::bigint * 6007) % 10080)
    FROM generate_series(${input.seenEvery}::int, ${users}::int, ${input.seenEvery}::int) g`);
  await run(Prisma.sql`
    WITH spec AS (
      SELECT g, 1 + (g - 1) / 3 AS u,
        now() + interval '1 minute' * (((g::bigint * 7919) % 129600) + 20161) AS ends,
        ((((1 + (g - 1) / 3) / ${input.seenEvery}::int) * 3 + (g - 1) % 3)::bigint * 104729 % 1440) AS read_ago, ((g::bigint * 104729) % 36000) AS used_ago
      FROM generate_series(1, ${input.count}::int) g
    )
    INSERT INTO "Connection" ("id", "userId", "providerId", "providerName", "credentialsId", "scopes",
      "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "consentCreatedAt",
      "consentExpiresAt", "balancesCheckedAt", "updatedAt")
    SELECT 'dc' || g, 'du' || u, 'uk-ob-bench-' || (g % 3), 'Bench Bank ' || (g % 3), 'day-cred-' || g,
      ARRAY['info','accounts','balance','offline_access'], ${input.sealed}, ${input.sealed}, ${input.keyId},
      CASE WHEN u % ${input.seenEvery}::int = 0 THEN now() - interval '1 minute' * read_ago + interval '1 hour'
        ELSE now() - interval '1 minute' * used_ago + interval '1 hour' END,
      ends - interval '90 days', ends,
      CASE WHEN u % ${input.seenEvery}::int = 0 THEN now() - interval '1 minute' * read_ago END, now()
    FROM spec`);
  await run(Prisma.sql`
    INSERT INTO "BankAccount" ("id", "connectionId", "truelayerAccountId", "displayName", "accountType", "currency")
    SELECT 'da' || c."id" || '_' || k, c."id", 'day-acc-' || c."id" || '-' || k,
      (ARRAY['Current Account','Instant Saver'])[k], 'TRANSACTION', 'GBP'
    FROM "Connection" c, generate_series(1, 2) k WHERE c."balancesCheckedAt" IS NOT NULL AND c."id" LIKE 'dc%'`);
}

/** What was due by `at` and is still not done: a reminder past its 14 days, a refresh token unused for 25, a read due
 * for a user seen in the fortnight. */
export async function countDayWorkLeft(
  at: Date,
  run: Sql = (statement) => sql(statement),
): Promise<{ reminders: number; keepAlive: number; reads: number }> {
  const { rows } = await run<{ reminders: number; keepAlive: number; reads: number }>(Prisma.sql`
    SELECT
      (SELECT count(*)::int FROM "Connection" c WHERE c."consentExpiresAt" - interval '14 days' <= ${at}::timestamp(3)
        AND c."consentExpiresAt" > ${at}::timestamp(3) AND NOT EXISTS (SELECT 1 FROM "Reminder" r
        WHERE r."connectionId" = c."id" AND r."threshold" = 14 AND r."status" = 'SENT')) AS "reminders",
      (SELECT count(*)::int FROM "Connection" c
        WHERE c."accessTokenExpiresAt" < ${at}::timestamp(3) - interval '25 days'
        AND c."status" = 'ACTIVE' AND c."consentExpiresAt" > ${at}::timestamp(3)) AS "keepAlive",
      (SELECT count(*)::int FROM "Connection" c
        WHERE c."userId" IN (SELECT s."userId" FROM "Session" s WHERE s."lastSeenAt" > ${at}::timestamp(3) - interval '14 days')
        AND c."balancesCheckedAt" < ${at}::timestamp(3) - interval '1 day'
        AND c."consentExpiresAt" > ${at}::timestamp(3)) AS "reads"`);
  return rows[0] ?? { reminders: -1, keepAlive: -1, reads: -1 };
}
