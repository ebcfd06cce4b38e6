import "server-only";
import type { ConnectionStatus } from "@prisma/client";
import { db } from "@/lib/db";
import { getRemindersEnabled } from "@/lib/users/queries";
import { type NextReminder, nextReminder } from "./next";

type Named = { id: string; status: ConnectionStatus; consentExpiresAt: Date };

export async function nextRemindersFor(
  userId: string,
  connections: Named[],
  at: Date,
): Promise<{ enabled: boolean; next: Map<string, NextReminder> }> {
  const [enabled, sent] = await Promise.all([
    getRemindersEnabled(userId),
    db().reminder.findMany({
      where: {
        userId,
        connectionId: { in: connections.map((c) => c.id) },
        status: { in: ["SENT", "CLAIMED"] },
      },
      select: { connectionId: true, consentExpiresAt: true, threshold: true },
    }),
  ]);
  const next = new Map(
    connections.map((c) => {
      const thisPeriod = sent.filter(
        (r) => r.connectionId === c.id && r.consentExpiresAt.getTime() === c.consentExpiresAt.getTime(),
      );
      return [
        c.id,
        nextReminder(
          c,
          at,
          thisPeriod.map((r) => r.threshold),
        ),
      ];
    }),
  );
  return { enabled, next };
}
