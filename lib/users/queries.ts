import "server-only";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { db, type Sql, sql } from "@/lib/db";

// Our SQL writes to User share the store's transactions; next-auth's adapter is the other writer (decision 063).

export type UserProfile = { id: string; email: string | null; name: string | null; truelayerUserId: string };

export async function getUserProfile(userId: string): Promise<UserProfile | null> {
  return db().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, truelayerUserId: true },
  });
}

export async function updateUserName(userId: string, name: string): Promise<void> {
  await sql(Prisma.sql`UPDATE "User" SET "name" = ${name} WHERE "id" = ${userId}`);
}

export async function getRemindersEnabled(userId: string): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { remindersEnabled: true } });
  return user?.remindersEnabled ?? false;
}

export async function setRemindersEnabled(userId: string, enabled: boolean): Promise<void> {
  await sql(Prisma.sql`UPDATE "User" SET "remindersEnabled" = ${enabled} WHERE "id" = ${userId}`);
}

export async function getUserRole(userId: string): Promise<"OPERATOR" | "USER" | null> {
  return (await db().user.findUnique({ where: { id: userId }, select: { role: true } }))?.role ?? null;
}

export function usersByEmail(email: string): Promise<{ id: string; role: "OPERATOR" | "USER" }[]> {
  return db().user.findMany({
    where: { email: { equals: email.trim(), mode: "insensitive" } },
    select: { id: true, role: true },
  });
}

/** The account of exactly this (normalised) address, with its role. */
export function userByEmail(email: string): Promise<{ id: string; role: "OPERATOR" | "USER" } | null> {
  return db().user.findUnique({ where: { email }, select: { id: true, role: true } });
}

export async function setUserRole(userId: string, role: "OPERATOR" | "USER"): Promise<void> {
  await sql(Prisma.sql`UPDATE "User" SET "role" = ${role}::"UserRole" WHERE "id" = ${userId}`);
}

/** Marks the account for deletion (once: a rerun keeps the first time); null when there is no such user. */
export async function markDeletionRequested(userId: string): Promise<{ email: string | null } | null> {
  const { rows } = await sql<{ email: string | null }>(Prisma.sql`
    UPDATE "User" SET "deletionRequestedAt" = COALESCE("deletionRequestedAt", ${now()}::timestamp(3))
    WHERE "id" = ${userId} RETURNING "email"`);
  return rows[0] ?? null;
}

/** False once the account is deleted or its deletion has begun (which signs out every device first). */
export async function accountOpen(userId: string): Promise<boolean> {
  const { rows } = await sql(
    Prisma.sql`SELECT 1 FROM "User" WHERE "id" = ${userId} AND "deletionRequestedAt" IS NULL`,
  );
  return rows.length > 0;
}

export async function lockUser(userId: string, tx: Sql): Promise<{ email: string | null } | null> {
  const { rows } = await tx<{ email: string | null }>(
    Prisma.sql`SELECT "email" FROM "User" WHERE "id" = ${userId} FOR UPDATE`,
  );
  return rows[0] ?? null;
}

export async function deleteUserRow(userId: string, tx: Sql): Promise<void> {
  await tx(Prisma.sql`DELETE FROM "User" WHERE "id" = ${userId}`);
}

export async function deletionsRequestedBefore(before: Date, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>(Prisma.sql`
    SELECT "id" FROM "User" WHERE "deletionRequestedAt" < ${before}::timestamp(3)
    ORDER BY "deletionRequestedAt" LIMIT ${limit}`);
  return rows.map((row) => row.id);
}

/** Whether an address already belongs to an account (new addresses get one on first sign-in). */
export async function findUserIdByEmail(email: string): Promise<string | null> {
  return (await db().user.findUnique({ where: { email }, select: { id: true } }))?.id ?? null;
}

export async function hasAccount(email: string): Promise<boolean> {
  return (await db().user.count({ where: { email } })) > 0;
}
