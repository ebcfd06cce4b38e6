import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { Prisma } from "@prisma/client";
import { addDays } from "@/lib/clock";
import { sql } from "@/lib/db";
import { env } from "@/lib/env";
import { recordReminderLinkOpened } from "@/lib/funnel/record";
import { newId } from "@/lib/ids";
import type { SessionUser } from "./session-user";

// docs/decisions/028-reminder-link.md
export const LINK_GRACE_DAYS = 14;
export const REMINDER_SESSION_MS = 30 * 60 * 1000;
export const REMINDER_TOKEN = /^[A-Za-z0-9_-]{43}$/;

// Keyed and purpose-bound, so neither a stolen table nor any other use of AUTH_SECRET yields a live token.
function hashOf(purpose: "link" | "session", token: string): string {
  return createHmac("sha256", env().AUTH_SECRET)
    .update(`reconsent:reminder-${purpose}:v1\n${token}`)
    .digest("hex");
}

const newToken = () => randomBytes(32).toString("base64url");

/** A link for one reminder mail, or null when its cycle ended too long ago for a link to help. */
export async function createReminderLink(
  userId: string,
  items: { connectionId: string; consentExpiresAt: Date }[],
  at: Date,
): Promise<string | null> {
  if (items.length === 0) return null;
  const cycleEnd = new Date(Math.max(...items.map((i) => i.consentExpiresAt.getTime())));
  const expiresAt = addDays(cycleEnd, LINK_GRACE_DAYS);
  if (expiresAt <= at) return null;
  const token = newToken();
  const ids = [...new Set(items.map((i) => i.connectionId))];
  await sql(Prisma.sql`
    INSERT INTO "ReminderLink" ("id", "tokenHash", "userId", "connectionIds", "expiresAt", "createdAt")
    VALUES (${newId()}, ${hashOf("link", token)}, ${userId}, ${ids}::text[], ${expiresAt}::timestamp(3),
      ${at}::timestamp(3))`);
  return token;
}

/** Spends the link in one statement (two presses, one session): its session token, or null if unknown, used or
 * expired. Looked up by keyed hash; counts the funnel's open once per link spent (decision 028). */
export async function openReminderLink(token: string, at: Date): Promise<string | null> {
  if (!REMINDER_TOKEN.test(token)) return null;
  const session = newToken();
  const { rows } = await sql<{ userId: string }>(Prisma.sql`
    UPDATE "ReminderLink" SET "usedAt" = ${at}::timestamp(3), "sessionHash" = ${hashOf("session", session)},
      "sessionExpiresAt" = ${new Date(at.getTime() + REMINDER_SESSION_MS)}::timestamp(3)
    WHERE "tokenHash" = ${hashOf("link", token)} AND "usedAt" IS NULL AND "expiresAt" > ${at}::timestamp(3)
    RETURNING "userId"`);
  const spent = rows[0];
  if (rows.length !== 1 || !spent) return null;
  await recordReminderLinkOpened(spent.userId);
  return session;
}

export type ReminderSession = { user: SessionUser; connectionIds: ReadonlySet<string> };

export async function reminderSessionFor(
  session: string | undefined,
  at: Date,
): Promise<ReminderSession | null> {
  if (!session || !REMINDER_TOKEN.test(session)) return null;
  const { rows } = await sql<{
    userId: string;
    email: string | null;
    name: string | null;
    connectionIds: string[];
  }>(
    Prisma.sql`
    SELECT l."userId", u."email", u."name", l."connectionIds" FROM "ReminderLink" l
    JOIN "User" u ON u."id" = l."userId" AND u."deletionRequestedAt" IS NULL
    WHERE l."sessionHash" = ${hashOf("session", session)} AND l."sessionExpiresAt" > ${at}::timestamp(3)`,
  );
  const row = rows[0];
  if (!row?.email) return null;
  return {
    user: { id: row.userId, email: row.email, name: row.name },
    connectionIds: new Set(row.connectionIds),
  };
}

export async function endReminderSession(session: string): Promise<void> {
  if (!REMINDER_TOKEN.test(session)) return;
  await sql(Prisma.sql`
    UPDATE "ReminderLink" SET "sessionHash" = NULL, "sessionExpiresAt" = NULL
    WHERE "sessionHash" = ${hashOf("session", session)}`);
}

/** Ends every reminder session of a user; links not yet pressed still work once. */
export async function endReminderSessionsOf(userId: string): Promise<void> {
  await sql(Prisma.sql`
    UPDATE "ReminderLink" SET "sessionHash" = NULL, "sessionExpiresAt" = NULL
    WHERE "userId" = ${userId} AND "sessionHash" IS NOT NULL`);
}

export async function pruneReminderLinks(at: Date): Promise<number> {
  const { rowCount } = await sql(Prisma.sql`
    DELETE FROM "ReminderLink" WHERE "expiresAt" <= ${at}::timestamp(3)
      AND ("sessionExpiresAt" IS NULL OR "sessionExpiresAt" <= ${at}::timestamp(3))`);
  return rowCount;
}
