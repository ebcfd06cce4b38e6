import "server-only";
import type { ConnectionEventType, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { db } from "@/lib/db";

type Tx = Prisma.TransactionClient;

export function appendConnectionEvent(
  tx: Tx,
  event: {
    connectionId: string;
    type: ConnectionEventType;
    reconfirmationId?: string | null;
    reason?: string;
    consentExpiresAt?: Date;
  },
) {
  return tx.connectionEvent.create({ data: { ...event, createdAt: now() } });
}

/** One reconfirmation with, per bank, the latest thing that happened under it. */
export function getReconfirmationForUser(reconfirmationId: string, userId: string) {
  return db().reconfirmation.findFirst({
    where: { id: reconfirmationId, userId },
    select: {
      id: true,
      items: {
        orderBy: { id: "asc" },
        select: {
          connection: {
            select: {
              id: true,
              providerId: true,
              providerName: true,
              providerLogoUrl: true,
              status: true,
              consentExpiresAt: true,
              leaseExpiresAt: true,
              events: {
                where: { reconfirmationId },
                orderBy: [{ createdAt: "desc" }, { id: "desc" }],
                take: 1,
                select: { type: true, reason: true, consentExpiresAt: true },
              },
            },
          },
        },
      },
    },
  });
}

export type ReconfirmationWithResults = NonNullable<Awaited<ReturnType<typeof getReconfirmationForUser>>>;

/** "No" is recorded and nothing is deleted: access simply runs out at its end date. */
export async function recordDeclines(connectionIds: string[]): Promise<void> {
  await db().$transaction(async (tx) => {
    for (const connectionId of connectionIds) {
      await appendConnectionEvent(tx, { connectionId, type: "DECLINED", reason: "user_declined" });
    }
  });
}

/** The wording a reconfirmation recorded, if it is the user's and covered this connection. */
export function getReconfirmationItem(reconfirmationId: string, connectionId: string, userId: string) {
  return db().reconfirmation.findFirst({
    where: { id: reconfirmationId, userId, items: { some: { connectionId, connection: { userId } } } },
    select: { id: true, copyHash: true },
  });
}
