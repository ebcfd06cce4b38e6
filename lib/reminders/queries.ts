import "server-only";
import { addDays } from "@/lib/clock";
import {
  type ReminderCandidate,
  reminderCandidatesOfUsers,
  reminderCandidatesPage,
} from "@/lib/connections/queries";
import { db } from "@/lib/db";
import { THRESHOLDS } from "./thresholds";

export type DueConnection = ReminderCandidate;
export type ReminderKey = { connectionId: string; userId: string; consentExpiresAt: Date; threshold: number };
export type ClaimedReminder = ReminderKey & { id: string };

/** A reminder still CLAIMED this long after its claim was never marked: its run stopped mid-send. */
export const STUCK_AFTER_MINUTES = 15;
export const MAX_ATTEMPTS = 5;

export const findDueConnectionsPage = reminderCandidatesPage;

export const findDueConnectionsOfUsers = reminderCandidatesOfUsers;

export const owedAt = (at: Date) => ({ at, rules: { thresholds: THRESHOLDS, maxAttempts: MAX_ATTEMPTS } });

// Committed before any mail is sent; only this call's claims are returned, so two runs at once never send one twice.
export async function claimReminders(keys: ReminderKey[], at: Date): Promise<ClaimedReminder[]> {
  if (keys.length === 0) return [];
  const prisma = db();
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

export async function markRemindersSent(ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db().reminder.updateMany({
    where: { id: { in: ids }, status: "CLAIMED" },
    data: { status: "SENT", sentAt: at },
  });
}

export async function markRemindersFailed(ids: string[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await db().reminder.updateMany({
    where: { id: { in: ids }, status: "CLAIMED" },
    data: { status: "FAILED", error },
  });
}

export function countStuckReminders(window: { from: Date }, at: Date): Promise<number> {
  return db().reminder.count({
    where: {
      status: "CLAIMED",
      claimedAt: { lt: new Date(at.getTime() - STUCK_AFTER_MINUTES * 60_000) },
      consentExpiresAt: { gt: window.from },
    },
  });
}

export function remindersOf(userId: string) {
  return db().reminder.findMany({ where: { userId }, orderBy: [{ claimedAt: "asc" }, { id: "asc" }] });
}

export function dueWindow(at: Date, lookbackDays: number, aheadDays: number) {
  return { from: addDays(at, -lookbackDays), to: addDays(at, aheadDays) };
}
