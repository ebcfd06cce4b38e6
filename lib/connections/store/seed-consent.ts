import "server-only";
import { Prisma } from "@prisma/client";
import { type Sql, sql } from "@/lib/db";

// The bench's consent records: `count` reconfirmations of one bank each, 1,000 a day from `firstDay`, with
// the real template text, parameters, accounts and an outcome. Users `${userPrefix}1…` must exist.
export async function seedBulkConsentRecords(
  input: { count: number; userPrefix: string; template: string; firstDay: string },
  run: Sql = (statement) => sql(statement),
): Promise<void> {
  const { count, userPrefix, firstDay } = input;
  await run(Prisma.sql`INSERT INTO "ConsentWording" ("version", "template") VALUES (1, ${input.template})
    ON CONFLICT DO NOTHING`);
  await run(Prisma.sql`
    INSERT INTO "Reconfirmation" ("id", "subject", "wordingVersion", "parameters", "copyHash", "createdAt")
    SELECT 'ar' || g, md5(g::text) || md5((g + 1)::text), 1,
      jsonb_build_object('newExpiry', '1 March 2027', 'consentDays', 90,
        'brand', jsonb_build_object('appName', 'Reconsent', 'sharingPurpose', 'To show your balances.',
          'privacyHref', '/privacy', 'termsHref', '/terms'),
        'banks', jsonb_build_array(
        jsonb_build_object('connectionId', 'ac' || g, 'bankName', 'Mock UK Bank',
          'scopes', '["info","accounts","balance","offline_access"]'::jsonb))),
      md5('h' || g) || md5('i' || g),
      ${firstDay}::timestamp + ((g - 1) / 1000) * interval '1 day' + (g % 1000) * interval '1 second'
    FROM generate_series(1, ${count}::int) g`);
  await run(Prisma.sql`
    INSERT INTO "ReconfirmationItem" ("id", "reconfirmationId", "connectionId", "providerId", "providerName", "scopes")
    SELECT 'ai' || g, 'ar' || g, 'ac' || g, 'ob-mock', 'Mock UK Bank', '{info,accounts,balance,offline_access}'
    FROM generate_series(1, ${count}::int) g`);
  await run(Prisma.sql`
    INSERT INTO "ReconfirmationOwner" ("reconfirmationId", "userId", "accounts")
    SELECT 'ar' || g, ${userPrefix} || g, jsonb_build_object('ac' || g, jsonb_build_array(jsonb_build_object(
      'id', 'acc' || g, 'displayName', 'Current account', 'maskedNumber', '•••• ' || lpad((g % 10000)::text, 4, '0'))))
    FROM generate_series(1, ${count}::int) g`);
  await run(Prisma.sql`
    INSERT INTO "ReconfirmationOutcome" ("id", "reconfirmationId", "connectionId", "type", "createdAt")
    SELECT 'ao' || g, 'ar' || g, 'ac' || g, 'EXTENDED', ${firstDay}::timestamp + ((g - 1) / 1000) * interval '1 day'
    FROM generate_series(1, ${count}::int) g`);
}
