import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";

// Every sealed secret (lib/crypto/token-seal.ts), for re-sealing under a new key and the start-up check for keys we
// no longer have. Re-sealed only if still exactly what was read, never while a holder may store a successor.

export type SealedRow = { id: string; values: (string | null)[]; guard: string };

export type SealedSource = {
  table: "connections" | "authStates" | "pendingRevokes" | "parkedReturns" | "codeExchanges";
  read(cursor: string, limit: number): Promise<SealedRow[]>;
  /** False when the row changed since it was read, or is held: run again for it. */
  write(row: SealedRow, values: (string | null)[], keyId: string): Promise<boolean>;
};

const unleased = (at: Date) =>
  Prisma.sql`("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < ${at}::timestamp(3))`;

function columnsSource(
  table: "connections" | "pendingRevokes",
  name: "Connection" | "PendingRevoke",
): SealedSource {
  const t = Prisma.raw(`"${name}"`);
  return {
    table,
    async read(cursor, limit) {
      const { rows } = await sql<{ id: string; a: string | null; r: string | null; guard: string }>(
        Prisma.sql`SELECT "id", "accessTokenSealed" AS a, "refreshTokenSealed" AS r, md5(concat("accessTokenSealed", '|', "refreshTokenSealed")) AS guard
          FROM ${t} WHERE "id" > ${cursor} AND ("accessTokenSealed" IS NOT NULL OR "refreshTokenSealed" IS NOT NULL)
          ORDER BY "id" LIMIT ${limit}`,
      );
      return rows.map((r) => ({ id: r.id, values: [r.a, r.r], guard: r.guard }));
    },
    async write(row, [access, refresh], keyId) {
      // The version is left alone, so no lease in flight is disturbed.
      const { rowCount } = await sql(
        Prisma.sql`UPDATE ${t} SET "accessTokenSealed" = ${access ?? null}, "refreshTokenSealed" = ${refresh ?? null},
            "tokenKeyId" = ${keyId}
          WHERE "id" = ${row.id} AND md5(concat("accessTokenSealed", '|', "refreshTokenSealed")) = ${row.guard}
            AND ${unleased(now())}`,
      );
      return rowCount === 1;
    },
  };
}

// A sealed pair inside a JSON document: a parked return's snapshot.tokens, or an exchange's held grant.
function jsonSource(
  table: "parkedReturns" | "codeExchanges",
  name: "ParkedReturn" | "CodeExchange",
  column: "snapshot" | "grantSealed",
  path: string[],
): SealedSource {
  const t = Prisma.raw(`"${name}"`);
  const c = Prisma.raw(`"${column}"`);
  const at = Prisma.raw(`'{${path.join(",")}}'`);
  return {
    table,
    async read(cursor, limit) {
      const { rows } = await sql<{ id: string; d: Record<string, unknown>; guard: string }>(
        Prisma.sql`SELECT "id", ${c} #> ${at} AS d, md5(${c}::text) AS guard FROM ${t}
          WHERE "id" > ${cursor} AND ${c} IS NOT NULL ORDER BY "id" LIMIT ${limit}`,
      );
      const text = (v: unknown) => (typeof v === "string" ? v : null);
      return rows.map((r) => ({
        id: r.id,
        values: [text(r.d?.accessTokenSealed), text(r.d?.refreshTokenSealed)],
        guard: r.guard,
      }));
    },
    async write(row, [access, refresh], keyId) {
      const sealed = {
        accessTokenSealed: access,
        refreshTokenSealed: refresh ?? undefined,
        tokenKeyId: keyId,
      };
      const merged =
        path.length === 0
          ? Prisma.sql`${c} || ${JSON.stringify(sealed)}::jsonb`
          : Prisma.sql`jsonb_set(${c}, ${at}, (${c} #> ${at}) || ${JSON.stringify(sealed)}::jsonb)`;
      const { rowCount } = await sql(
        Prisma.sql`UPDATE ${t} SET ${c} = ${merged} WHERE "id" = ${row.id} AND md5(${c}::text) = ${row.guard}`,
      );
      return rowCount === 1;
    },
  };
}

const authStates: SealedSource = {
  table: "authStates",
  async read(cursor, limit) {
    const { rows } = await sql<{ id: string; v: string }>(
      Prisma.sql`SELECT "id", "codeVerifierSealed" AS v FROM "AuthState"
        WHERE "id" > ${cursor} AND "codeVerifierSealed" IS NOT NULL ORDER BY "id" LIMIT ${limit}`,
    );
    return rows.map((r) => ({ id: r.id, values: [r.v], guard: r.v }));
  },
  async write(row, [verifier]) {
    const { rowCount } = await sql(
      Prisma.sql`UPDATE "AuthState" SET "codeVerifierSealed" = ${verifier ?? null}
        WHERE "id" = ${row.id} AND "codeVerifierSealed" = ${row.guard}`,
    );
    return rowCount === 1;
  },
};

export const SEALED_SOURCES: SealedSource[] = [
  columnsSource("connections", "Connection"),
  authStates,
  columnsSource("pendingRevokes", "PendingRevoke"),
  jsonSource("parkedReturns", "ParkedReturn", "snapshot", ["tokens"]),
  jsonSource("codeExchanges", "CodeExchange", "grantSealed", []),
];

/** Key ids the keyring must hold: Connection's by a skip scan of tokenKeyId (few probes at any size); others small */
export async function keyIdsInUse(): Promise<string[]> {
  const key = (column: string) => Prisma.raw(`split_part(${column}, '.', 2)`);
  const { rows } = await sql<{ k: string }>(
    Prisma.sql`
      WITH RECURSIVE ck AS (
        SELECT min("tokenKeyId") AS k FROM "Connection"
        UNION ALL
        SELECT (SELECT min("tokenKeyId") FROM "Connection" WHERE "tokenKeyId" > ck.k) FROM ck WHERE ck.k IS NOT NULL
      )
      SELECT DISTINCT k FROM (
        SELECT k FROM ck WHERE k IS NOT NULL
        UNION SELECT ${key(`"accessTokenSealed"`)} FROM "PendingRevoke" WHERE "accessTokenSealed" IS NOT NULL
        UNION SELECT ${key(`"refreshTokenSealed"`)} FROM "PendingRevoke" WHERE "refreshTokenSealed" IS NOT NULL
        UNION SELECT ${key(`"codeVerifierSealed"`)} FROM "AuthState" WHERE "codeVerifierSealed" IS NOT NULL
        UNION SELECT ${key(`"snapshot" #>> '{tokens,accessTokenSealed}'`)} FROM "ParkedReturn"
        UNION SELECT ${key(`"grantSealed" ->> 'accessTokenSealed'`)} FROM "CodeExchange" WHERE "grantSealed" IS NOT NULL
      ) keys WHERE k <> ''`,
  );
  return rows.map((r) => r.k);
}
