import "server-only";
import { Prisma } from "@prisma/client";
import { db } from "@/lib/db";

const TRIP_EVENTS = ["SENT_TO_BANK", "COMPLETED_AT_BANK", "FAILED", "EXTENDED"] as const;

const awaitingSelect = {
  id: true,
  userId: true,
  accounts: { select: { truelayerAccountId: true } },
  events: {
    where: { type: { in: [...TRIP_EVENTS] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 1,
    select: { type: true, reconfirmationId: true },
  },
} satisfies Prisma.ConnectionSelect;

export type AwaitingConnection = {
  id: string;
  userId: string;
  reconfirmationId: string | null;
  accountIds: string[];
};

/** Connections whose latest trip event is SENT_TO_BANK: the user is (or was) at their bank for them. */
export async function findConnectionsAwaitingBank(
  where: { credentialsId: string } | { providerId: string },
): Promise<AwaitingConnection[]> {
  const rows = await db().connection.findMany({
    where: { ...where, status: { not: "REVOKED" } },
    select: awaitingSelect,
  });
  return rows.flatMap((row) => {
    const [latest] = row.events;
    if (latest?.type !== "SENT_TO_BANK") return [];
    return [
      {
        id: row.id,
        userId: row.userId,
        reconfirmationId: latest.reconfirmationId,
        accountIds: row.accounts.map((a) => a.truelayerAccountId),
      },
    ];
  });
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
