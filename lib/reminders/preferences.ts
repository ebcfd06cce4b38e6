import "server-only";
import { db } from "@/lib/db";

/** Whether the user gets reminder emails (the in-app banner shows either way). */
export async function getRemindersEnabled(userId: string): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { remindersEnabled: true } });
  return user?.remindersEnabled ?? false;
}

/** Sets the preference; a user that no longer exists is simply not changed. */
export async function setRemindersEnabled(userId: string, enabled: boolean): Promise<void> {
  await db().user.updateMany({ where: { id: userId }, data: { remindersEnabled: enabled } });
}
