import "server-only";
import { Prisma } from "@prisma/client";
import { db, sql } from "@/lib/db";

const TRIP_EVENTS = ["SENT_TO_BANK", "COMPLETED_AT_BANK", "FAILED", "EXTENDED"] as const;

/** How long after "sent to the bank" a return without a state of ours is still expected. */
export const TRIP_WINDOW_MS = 60 * 60 * 1000;

const awaitingSelect = {
  id: true,
  userId: true,
  providerId: true,
  credentialsId: true,
  accounts: { select: { truelayerAccountId: true } },
  events: {
    where: { type: { in: [...TRIP_EVENTS] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 1,
    select: { type: true, reconfirmationId: true, browserHash: true, createdAt: true },
  },
} satisfies Prisma.ConnectionSelect;

export type AwaitingConnection = {
  id: string;
  userId: string;
  providerId: string;
  credentialsId: string | null;
  reconfirmationId: string | null;
  accountIds: string[];
  /** The browser that was sent to the bank, if it carried a binding cookie. */
  browserHash: string | null;
  sentAt: Date;
};

/**
 * Connections whose latest trip event is SENT_TO_BANK: the user is (or was) at their bank for them.
 * By the trip's owner, by the browser that was sent, or by what the bank says the connection is.
 */
export async function findConnectionsAwaitingBank(
  where: { credentialsId: string } | { providerId: string } | { userId: string } | { browserHash: string },
): Promise<AwaitingConnection[]> {
  const byBrowser = "browserHash" in where;
  const rows = await db().connection.findMany({
    where: {
      ...(byBrowser ? { events: { some: { type: "SENT_TO_BANK", browserHash: where.browserHash } } } : where),
      status: { not: "REVOKED" },
    },
    select: awaitingSelect,
  });
  return rows.flatMap((row) => {
    const [latest] = row.events;
    if (latest?.type !== "SENT_TO_BANK") return [];
    if (byBrowser && latest.browserHash !== where.browserHash) return [];
    return [
      {
        id: row.id,
        userId: row.userId,
        providerId: row.providerId,
        credentialsId: row.credentialsId,
        reconfirmationId: latest.reconfirmationId,
        accountIds: row.accounts.map((a) => a.truelayerAccountId),
        browserHash: latest.browserHash,
        sentAt: latest.createdAt,
      },
    ];
  });
}

/**
 * Whether any extend trip to a bank is under way (sent within the trip window, not yet finished):
 * only then is a code with no state of ours worth a call to TrueLayer. One indexed statement.
 */
export async function anyTripPending(at: Date): Promise<boolean> {
  const { rows } = await sql<{ one: number }>(Prisma.sql`
    SELECT 1 AS "one" FROM "ConnectionEvent" e
    WHERE e."type" = 'SENT_TO_BANK' AND e."createdAt" > ${new Date(at.getTime() - TRIP_WINDOW_MS)}::timestamp(3)
      AND NOT EXISTS (
        SELECT 1 FROM "ConnectionEvent" l
        WHERE l."connectionId" = e."connectionId" AND l."type" IN ('COMPLETED_AT_BANK', 'FAILED', 'EXTENDED')
          AND (l."createdAt", l."id") > (e."createdAt", e."id"))
    LIMIT 1`);
  return rows.length > 0;
}

/** The idempotency claim for a code: the first arrival creates the row, a repeat gets the same id. */
export async function claimCodeExchange(codeHash: string): Promise<{ id: string; created: boolean }> {
  try {
    const row = await db().codeExchange.create({
      data: { codeHash, outcome: "extend:pending" },
      select: { id: true },
    });
    return { id: row.id, created: true };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
    const row = await db().codeExchange.findUniqueOrThrow({ where: { codeHash }, select: { id: true } });
    return { id: row.id, created: false };
  }
}

export async function settleCodeExchange(
  id: string,
  data: { outcome: string; userId?: string | null; connectionId?: string | null },
  tx: Prisma.TransactionClient = db(),
): Promise<void> {
  await tx.codeExchange.update({ where: { id }, data });
}

export function getCodeExchange(id: string) {
  return db().codeExchange.findUnique({
    where: { id },
    select: { id: true, userId: true, connectionId: true, outcome: true },
  });
}

/** The bank journey this connection last finished: which reconfirmation it belonged to, and the new end date. */
export function getLatestBankCompletion(connectionId: string) {
  return db().connectionEvent.findFirst({
    where: { connectionId, type: "COMPLETED_AT_BANK" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      reconfirmationId: true,
      consentExpiresAt: true,
      connection: { select: { providerName: true, userId: true } },
    },
  });
}
