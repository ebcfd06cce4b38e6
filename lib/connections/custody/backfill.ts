import "server-only";
import { Prisma } from "@prisma/client";
import { sql } from "@/lib/db";

// Decision 043's expand step: facts recomputed from newer events; idempotent, run by migration and maintenance.
export const BACKFILL_SQL = `
WITH todo AS (
  SELECT c."id", c."factsEventAt" AS "seen" FROM "Connection" c
  WHERE EXISTS (SELECT 1 FROM "ConnectionEvent" x WHERE x."connectionId" = c."id"
    AND (c."factsEventAt" IS NULL OR x."createdAt" > c."factsEventAt"))
  LIMIT $1
), ev AS (
  SELECT e."connectionId", e."type"::text AS "type", e."reason", e."reconfirmationId", e."browserHash", e."createdAt", e."id"
  FROM "ConnectionEvent" e JOIN todo t ON t."id" = e."connectionId"
), facts AS (
  SELECT k."id" AS "connectionId", k."seen",
    (SELECT max(v."createdAt") FROM ev v WHERE v."connectionId" = k."id"
      AND v."type" IN ('EXTENDED', 'COMPLETED_AT_BANK', 'RECONNECTED')) AS "renewedAt",
    (SELECT v."type" IN ('SENT_TO_BANK', 'COMPLETED_AT_BANK') FROM ev v WHERE v."connectionId" = k."id"
      AND v."type" IN ('EXTENDED', 'SENT_TO_BANK', 'COMPLETED_AT_BANK') ORDER BY v."createdAt" DESC, v."id" DESC LIMIT 1) AS "bankAskedLast",
    (SELECT row_to_json(v) FROM ev v WHERE v."connectionId" = k."id"
      AND v."type" IN ('SENT_TO_BANK', 'COMPLETED_AT_BANK', 'CANCELLED_AT_BANK', 'FAILED', 'EXTENDED', 'RECONNECTED', 'REVOKED')
      ORDER BY v."createdAt" DESC, v."id" DESC LIMIT 1) AS "trip",
    (SELECT row_to_json(v) FROM ev v WHERE v."connectionId" = k."id"
      AND v."type" IN ('EXTENDED', 'SENT_TO_BANK', 'COMPLETED_AT_BANK', 'CANCELLED_AT_BANK', 'FAILED')
      ORDER BY v."createdAt" DESC, v."id" DESC LIMIT 1) AS "result",
    (SELECT max(d."createdAt") FROM ev d WHERE d."connectionId" = k."id" AND d."type" = 'DECLINED'
      AND NOT EXISTS (SELECT 1 FROM ev r WHERE r."connectionId" = k."id"
        AND r."type" IN ('EXTENDED', 'COMPLETED_AT_BANK', 'RECONNECTED') AND r."createdAt" >= d."createdAt")) AS "declinedAt",
    (SELECT max(v."createdAt") FROM ev v WHERE v."connectionId" = k."id") AS "factsEventAt"
  FROM todo k
)
UPDATE "Connection" c SET
  "renewedAt" = f."renewedAt",
  "bankAskedLast" = COALESCE(f."bankAskedLast", false),
  "tripSentAt" = CASE WHEN f."trip"->>'type' = 'SENT_TO_BANK' AND c."status" <> 'REVOKED'
    THEN (f."trip"->>'createdAt')::timestamp(3) END,
  "tripSecretHash" = CASE WHEN f."trip"->>'type' = 'SENT_TO_BANK' AND c."status" <> 'REVOKED' THEN f."trip"->>'browserHash' END,
  "tripReconfirmationId" = CASE WHEN f."trip"->>'type' = 'SENT_TO_BANK' AND c."status" <> 'REVOKED'
    THEN f."trip"->>'reconfirmationId' END,
  "declinedAt" = f."declinedAt",
  "lastResult" = f."result"->>'type',
  "lastResultReason" = f."result"->>'reason',
  "lastResultAt" = (f."result"->>'createdAt')::timestamp(3),
  "lastReconfirmationId" = f."result"->>'reconfirmationId',
  "factsEventAt" = f."factsEventAt"
FROM facts f WHERE c."id" = f."connectionId" AND c."factsEventAt" IS NOT DISTINCT FROM f."seen"`;

export async function backfillConnectionFacts(limit = 1000): Promise<number> {
  const { rowCount } = await sql(Prisma.raw(BACKFILL_SQL.replace("$1", String(Math.trunc(limit)))));
  return rowCount;
}
