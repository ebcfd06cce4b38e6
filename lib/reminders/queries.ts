import "server-only";
import type { PrismaClient } from "@prisma/client";
import { addDays } from "@/lib/clock";

export type DueConnection = {
  id: string;
  userId: string;
  providerId: string;
  providerName: string;
  consentExpiresAt: Date;
  status: "ACTIVE" | "NEEDS_BANK_AUTH" | "REVOKED";
  user: { email: string | null };
};
export type ReminderKey = { connectionId: string; userId: string; consentExpiresAt: Date; threshold: number };
export type ClaimedReminder = ReminderKey & { id: string };

/** A reminder still CLAIMED this long after its claim was never marked: its run stopped mid-send. */
export const STUCK_AFTER_MINUTES = 15;
export const MAX_ATTEMPTS = 5;

const select = {
  id: true,
  userId: true,
  providerId: true,
  providerName: true,
  consentExpiresAt: true,
  status: true,
  user: { select: { email: true } },
} as const;

/** Window of expiry dates that can be due: a range scan on Connection(consentExpiresAt). */
function dueWhere(window: { from: Date; to: Date }) {
  return {
    consentExpiresAt: { gt: window.from, lte: window.to },
    status: { not: "REVOKED" as const },
    user: { remindersEnabled: true, email: { not: null } },
  };
}

/** One page of connections in the window, in (consentExpiresAt, id) order after `after`. */
export function findDueConnectionsPage(
  prisma: PrismaClient,
  window: { from: Date; to: Date },
  after: { consentExpiresAt: Date; id: string } | undefined,
  take: number,
): Promise<DueConnection[]> {
  const keyset = after
    ? {
        OR: [
          { consentExpiresAt: { gt: after.consentExpiresAt } },
          { consentExpiresAt: after.consentExpiresAt, id: { gt: after.id } },
        ],
      }
    : {};
  return prisma.connection.findMany({
    where: { AND: [dueWhere(window), keyset] },
    orderBy: [{ consentExpiresAt: "asc" }, { id: "asc" }],
    take,
    select,
  });
}

/** All connections in the window of these users, so each user's mail covers every due bank. */
export function findDueConnectionsOfUsers(
  prisma: PrismaClient,
  window: { from: Date; to: Date },
  userIds: string[],
): Promise<DueConnection[]> {
  return prisma.connection.findMany({ where: { ...dueWhere(window), userId: { in: userIds } }, select });
}

/**
 * Claims reminders in one short transaction, committed before any mail is sent: new keys are
 * inserted (a key already present is skipped), failed ones are taken back for another attempt.
 * Only what this call claimed is returned, so two runs at once never send the same reminder.
 */
export async function claimReminders(
  prisma: PrismaClient,
  keys: ReminderKey[],
  at: Date,
): Promise<ClaimedReminder[]> {
  if (keys.length === 0) return [];
  const returned = {
    id: true,
    connectionId: true,
    userId: true,
    consentExpiresAt: true,
    threshold: true,
  } as const;
  const [created, retried] = await prisma.$transaction([
    prisma.reminder.createManyAndReturn({
      data: keys.map((k) => ({ ...k, status: "CLAIMED" as const, claimedAt: at })),
      skipDuplicates: true,
      select: returned,
    }),
    prisma.reminder.updateManyAndReturn({
      where: {
        status: "FAILED",
        attempts: { lt: MAX_ATTEMPTS },
        OR: keys.map((k) => ({
          connectionId: k.connectionId,
          consentExpiresAt: k.consentExpiresAt,
          threshold: k.threshold,
        })),
      },
      data: { status: "CLAIMED", claimedAt: at, attempts: { increment: 1 }, error: null },
      select: returned,
    }),
  ]);
  return [...created, ...retried];
}

export async function markRemindersSent(prisma: PrismaClient, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await prisma.reminder.updateMany({
    where: { id: { in: ids }, status: "CLAIMED" },
    data: { status: "SENT", sentAt: at },
  });
}

export async function markRemindersFailed(prisma: PrismaClient, ids: string[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await prisma.reminder.updateMany({
    where: { id: { in: ids }, status: "CLAIMED" },
    data: { status: "FAILED", error },
  });
}

/** Claims whose run stopped between claiming and marking (within the window, so the list stays short). */
export function countStuckReminders(prisma: PrismaClient, window: { from: Date }, at: Date): Promise<number> {
  return prisma.reminder.count({
    where: {
      status: "CLAIMED",
      claimedAt: { lt: new Date(at.getTime() - STUCK_AFTER_MINUTES * 60_000) },
      consentExpiresAt: { gt: window.from },
    },
  });
}

export function dueWindow(at: Date, lookbackDays: number, aheadDays: number) {
  return { from: addDays(at, -lookbackDays), to: addDays(at, aheadDays) };
}
