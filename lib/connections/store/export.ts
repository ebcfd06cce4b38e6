import "server-only";
import { Prisma } from "@prisma/client";
import { sql } from "@/lib/db";

// What a user's data download shows of the connection tables: never a token, a lease or a stored hash.

// Columns are UTC without a zone; the export says so on every timestamp ("…Z").
const utc = (column: string) => Prisma.raw(`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export type ExportedConnection = {
  id: string;
  bank: string;
  status: string;
  statusReason: string | null;
  scopes: string[];
  consentCreatedAt: string;
  consentExpiresAt: string;
  createdAt: string;
  accounts: {
    name: string;
    type: string;
    number: string | null;
    currency: string;
    balance: { current: string; available: string; readAt: string } | null;
  }[];
  history: { type: string; reason: string | null; consentExpiresAt: string | null; at: string }[];
};

export async function connectionsForExport(userId: string): Promise<ExportedConnection[]> {
  const { rows } = await sql<{ c: ExportedConnection }>(Prisma.sql`
    SELECT json_build_object(
      'id', c."id", 'bank', c."providerName", 'status', c."status", 'statusReason', c."statusReason",
      'scopes', c."scopes", 'consentCreatedAt', ${utc('c."consentCreatedAt"')}, 'consentExpiresAt',
      ${utc('c."consentExpiresAt"')}, 'createdAt', ${utc('c."createdAt"')},
      'accounts', COALESCE((SELECT json_agg(json_build_object('name', a."displayName", 'type', a."accountType",
        'number', a."maskedNumber", 'currency', a."currency",
        'balance', CASE WHEN a."balanceReadAt" IS NULL THEN NULL ELSE json_build_object('current',
          a."balanceCurrent"::text, 'available', a."balanceAvailable"::text, 'readAt', ${utc('a."balanceReadAt"')}) END)
        ORDER BY a."displayName", a."id")
        FROM "BankAccount" a WHERE a."connectionId" = c."id"), '[]'::json),
      'history', COALESCE((SELECT json_agg(json_build_object('type', e."type", 'reason', e."reason",
        'consentExpiresAt', ${utc('e."consentExpiresAt"')}, 'at', ${utc('e."createdAt"')}) ORDER BY e."createdAt", e."id")
        FROM "ConnectionEvent" e WHERE e."connectionId" = c."id"), '[]'::json)
    ) AS "c"
    FROM "Connection" c WHERE c."userId" = ${userId} ORDER BY c."providerName", c."id"`);
  return rows.map((r) => r.c);
}

export type StoredConsentRecord = {
  id: string;
  createdAt: string;
  wordingVersion: number | null;
  template: string | null;
  parameters: unknown;
  copyHash: string;
  accounts: unknown;
  items: { connectionId: string; bank: string | null; scopes: string[] }[];
  outcomes: { connectionId: string; type: string; reason: string | null; at: string }[];
};

export const recordJson = Prisma.sql`json_build_object(
  'id', r."id", 'createdAt', ${utc('r."createdAt"')}, 'wordingVersion', r."wordingVersion", 'template', w."template",
  'parameters', r."parameters", 'copyHash', r."copyHash", 'accounts', o."accounts",
  'items', COALESCE((SELECT json_agg(json_build_object('connectionId', i."connectionId", 'bank', i."providerName",
    'scopes', i."scopes") ORDER BY i."providerName", i."connectionId") FROM "ReconfirmationItem" i
    WHERE i."reconfirmationId" = r."id"), '[]'::json),
  'outcomes', COALESCE((SELECT json_agg(json_build_object('connectionId', x."connectionId", 'type', x."type",
    'reason', x."reason", 'at', ${utc('x."createdAt"')}) ORDER BY x."createdAt", x."id") FROM "ReconfirmationOutcome" x
    WHERE x."reconfirmationId" = r."id"), '[]'::json))`;

export async function consentRecordsOf(userId: string): Promise<StoredConsentRecord[]> {
  const { rows } = await sql<{ r: StoredConsentRecord }>(Prisma.sql`
    SELECT ${recordJson} AS "r"
    FROM "ReconfirmationOwner" o JOIN "Reconfirmation" r ON r."id" = o."reconfirmationId"
    LEFT JOIN "ConsentWording" w ON w."version" = r."wordingVersion"
    WHERE o."userId" = ${userId} ORDER BY r."createdAt", r."id"`);
  return rows.map((r) => r.r);
}
