import "server-only";
import { Prisma } from "@prisma/client";
import type { AdapterSession, AdapterUser } from "next-auth/adapters";
import { sql } from "@/lib/db";

/** A session ends 12 hours after sign-in whatever happens (next-auth's maxAge: never extended)… */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;
/** …or after 30 minutes without a request, whichever comes first (decision 040). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
// Often enough that the idle clock is never more than a sixth of the timeout behind, rarely enough that most
// requests write nothing; the write rides in the lookup's own statement, so no page gains a statement.
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

// The session and its user in one statement (the Prisma adapter's costs two round trips); it also moves the
// idle clock on, at most every TOUCH_EVERY_MS. Real clock, as next-auth judges its own expiry.
export async function findSessionAndUser(sessionToken: string): Promise<{
  session: AdapterSession & { lastSeenAt: Date; createdAt: Date; linkAskedElsewhere: boolean };
  user: AdapterUser;
} | null> {
  const at = new Date();
  const { rows } = await sql<Row>(Prisma.sql`
    WITH touched AS (
      UPDATE "Session" SET "lastSeenAt" = ${at}::timestamp(3)
      WHERE "sessionToken" = ${sessionToken} AND "expires" > ${at}::timestamp(3)
        AND "lastSeenAt" < ${new Date(at.getTime() - TOUCH_EVERY_MS)}::timestamp(3)
        AND "lastSeenAt" > ${new Date(at.getTime() - SESSION_IDLE_MS)}::timestamp(3)
    )
    SELECT s."sessionToken", s."userId", s."expires", s."lastSeenAt", s."createdAt", s."linkAskedElsewhere", u."name", u."email", u."emailVerified",
      u."image"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."sessionToken" = ${sessionToken}`);
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
