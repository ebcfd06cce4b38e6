import "server-only";
import { db } from "@/lib/db";

export type UserProfile = { id: string; email: string | null; name: string | null; truelayerUserId: string };

export async function getUserProfile(userId: string): Promise<UserProfile | null> {
  return db().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, truelayerUserId: true },
  });
}

export async function updateUserName(userId: string, name: string): Promise<void> {
  await db().user.update({ where: { id: userId }, data: { name } });
}

/** Whether an address already belongs to an account (new addresses get one on first sign-in). */
export async function findUserIdByEmail(email: string): Promise<string | null> {
  return (await db().user.findUnique({ where: { email }, select: { id: true } }))?.id ?? null;
}

export async function hasAccount(email: string): Promise<boolean> {
  return (await db().user.count({ where: { email } })) > 0;
}
