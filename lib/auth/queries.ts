import "server-only";
import { Prisma } from "@prisma/client";
import type { AdapterSession, AdapterUser } from "next-auth/adapters";
import { COMMIT_WITHOUT_FLUSH, type Sql, sql } from "@/lib/db";
import { endReminderSessionsOf } from "./reminder-link";

// Our own writes to Session and VerificationToken, in SQL; next-auth's adapter is their other writer (decision 063).

/** A session ends 12 hours after sign-in whatever happens (next-auth's maxAge: never extended)… */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;
/** …or after 30 minutes without a request, whichever comes first (decision 040). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
// The idle clock lags at most a sixth of the timeout; the touch rides in the lookup's statement (decision 040).
export const TOUCH_EVERY_MS = 5 * 60 * 1000;

type Row = {
  sessionToken: string;
  userId: string;
  expires: Date;
  lastSeenAt: Date;
  createdAt: Date;
  linkAskedElsewhere: boolean;
  name: string | null;
  email: string | null;
  emailVerified: Date | null;
  image: string | null;
};

// Session and user in one statement (Prisma's adapter: two round trips), moving the idle clock at most every
// TOUCH_EVERY_MS; real clock, as next-auth judges expiry. The touch commits without a flush (decision 068).
export function sessionLookupStatement(sessionToken: string, at: Date): Prisma.Sql {
  return Prisma.sql`
    WITH touched AS (
      UPDATE "Session" SET "lastSeenAt" = ${at}::timestamp(3)
      WHERE "sessionToken" = ${sessionToken} AND "expires" > ${at}::timestamp(3)
        AND "lastSeenAt" < ${new Date(at.getTime() - TOUCH_EVERY_MS)}::timestamp(3)
        AND "lastSeenAt" > ${new Date(at.getTime() - SESSION_IDLE_MS)}::timestamp(3)
    )
    SELECT s."sessionToken", s."userId", s."expires", s."lastSeenAt", s."createdAt", s."linkAskedElsewhere", u."name", u."email", u."emailVerified",
      u."image", ${COMMIT_WITHOUT_FLUSH} AS "commit"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."sessionToken" = ${sessionToken}`;
}

export async function findSessionAndUser(sessionToken: string): Promise<{
  session: AdapterSession & { lastSeenAt: Date; createdAt: Date; linkAskedElsewhere: boolean };
  user: AdapterUser;
} | null> {
  const { rows } = await sql<Row>(sessionLookupStatement(sessionToken, new Date()));
  const row = rows[0];
  if (!row) return null;
  return {
    session: {
      sessionToken: row.sessionToken,
      userId: row.userId,
      expires: row.expires,
      lastSeenAt: row.lastSeenAt,
      createdAt: row.createdAt,
      linkAskedElsewhere: row.linkAskedElsewhere,
    },
    user: {
      id: row.userId,
      name: row.name,
      email: row.email ?? "",
      emailVerified: row.emailVerified,
      image: row.image,
    },
  };
}

export async function markSessionAskedElsewhere(sessionToken: string): Promise<void> {
  await sql(
    Prisma.sql`UPDATE "Session" SET "linkAskedElsewhere" = true WHERE "sessionToken" = ${sessionToken}`,
  );
}

export async function sessionUserId(sessionToken: string): Promise<string | null> {
  const { rows } = await sql<{ userId: string }>(
    Prisma.sql`SELECT "userId" FROM "Session" WHERE "sessionToken" = ${sessionToken}`,
  );
  return rows[0]?.userId ?? null;
}

export async function endSession(sessionToken: string): Promise<void> {
  await sql(Prisma.sql`DELETE FROM "Session" WHERE "sessionToken" = ${sessionToken}`);
}

/** Ends every session of a user, reminder-link sessions too: each device is signed out on its next request. */
export async function endAllSessions(userId: string): Promise<number> {
  const { rowCount } = await sql(Prisma.sql`DELETE FROM "Session" WHERE "userId" = ${userId}`);
  await endReminderSessionsOf(userId);
  return rowCount;
}

export async function retireOlderSignInLinks(email: string, newest: string, keep: number): Promise<void> {
  await sql(Prisma.sql`
    DELETE FROM "VerificationToken" WHERE "identifier" = ${email} AND "token" <> ${newest}
      AND "token" NOT IN (
        SELECT "token" FROM "VerificationToken"
        WHERE "identifier" = ${email} AND "token" <> ${newest} AND "expires" > ${new Date()}::timestamp(3)
        ORDER BY "expires" DESC LIMIT ${keep})`);
}

export async function forgetSignInLinks(email: string, run: Sql = sql): Promise<void> {
  await run(Prisma.sql`DELETE FROM "VerificationToken" WHERE "identifier" = ${email}`);
}
