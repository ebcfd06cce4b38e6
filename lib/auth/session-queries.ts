import "server-only";
import { Prisma } from "@prisma/client";
import type { AdapterSession, AdapterUser } from "next-auth/adapters";
import { sql } from "@/lib/db";

type Row = {
  sessionToken: string;
  userId: string;
  expires: Date;
  name: string | null;
  email: string | null;
  emailVerified: Date | null;
  image: string | null;
};

/**
 * next-auth's session lookup, which every signed-in page and action makes: the session and its user
 * in one statement (the Prisma adapter's version costs two round trips through the query compiler).
 */
export async function findSessionAndUser(
  sessionToken: string,
): Promise<{ session: AdapterSession; user: AdapterUser } | null> {
  const { rows } = await sql<Row>(Prisma.sql`
    SELECT s."sessionToken", s."userId", s."expires", u."name", u."email", u."emailVerified", u."image"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."sessionToken" = ${sessionToken}`);
  const row = rows[0];
  if (!row) return null;
  return {
    session: { sessionToken: row.sessionToken, userId: row.userId, expires: row.expires },
    user: {
      id: row.userId,
      name: row.name,
      email: row.email ?? "",
      emailVerified: row.emailVerified,
      image: row.image,
    },
  };
}
