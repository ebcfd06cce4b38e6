import "server-only";
import { Prisma } from "@prisma/client";
import { sql } from "@/lib/db";

// The audit export's reads: a page of consent records at a time, by keyset, so any range streams in constant memory.

export type AuditRecordRow = {
  reconfirmationId: string;
  itemId: string;
  createdAt: Date;
  subject: string | null;
  wordingVersion: number | null;
  parameters: unknown;
  copyHash: string;
  accounts: unknown;
  connectionId: string;
  providerId: string | null;
  providerName: string | null;
  scopes: string[];
  outcome: { type: string; reason: string | null } | null;
};

export type AuditCursor = { createdAt: Date; itemId: string };

export async function auditPage(range: { from: Date; to: Date }, after: AuditCursor | null, limit: number) {
  const cursor = after
    ? Prisma.sql`AND (r."createdAt", i."id") > (${after.createdAt}::timestamp(3), ${after.itemId})`
    : Prisma.empty;
  const { rows } = await sql<AuditRecordRow>(Prisma.sql`
    SELECT r."id" AS "reconfirmationId", i."id" AS "itemId", r."createdAt", r."subject", r."wordingVersion",
      r."parameters", r."copyHash", o."accounts", i."connectionId", i."providerId", i."providerName", i."scopes",
      (SELECT json_build_object('type', x."type", 'reason', x."reason") FROM "ReconfirmationOutcome" x
        WHERE x."reconfirmationId" = r."id" AND x."connectionId" = i."connectionId"
        ORDER BY x."createdAt" DESC, x."id" DESC LIMIT 1) AS "outcome"
    FROM "Reconfirmation" r
    JOIN "ReconfirmationItem" i ON i."reconfirmationId" = r."id"
    LEFT JOIN "ReconfirmationOwner" o ON o."reconfirmationId" = r."id"
    WHERE r."createdAt" >= ${range.from}::timestamp(3) AND r."createdAt" < ${range.to}::timestamp(3) ${cursor}
    ORDER BY r."createdAt", i."id"
    LIMIT ${limit}`);
  return rows;
}

export async function wordingTemplates(): Promise<Map<number, string>> {
  const { rows } = await sql<{ version: number; template: string }>(
    Prisma.sql`SELECT "version", "template" FROM "ConsentWording"`,
  );
  return new Map(rows.map((r) => [r.version, r.template]));
}
