import "server-only";
import type { FunnelStep } from "@prisma/client";
import { addDays } from "@/lib/clock";
import { db } from "@/lib/db";
import { FUNNEL_STEPS, PER_BANK_STEPS } from "./steps";

export type FunnelStepRow = { step: FunnelStep; label: string; users: number; events: number };
export type FunnelBankRow = {
  providerId: string;
  providerName: string;
  connections: Record<FunnelStep, number>;
  lapsed: number;
};
export type FunnelReport = {
  since: Date;
  until: Date;
  steps: FunnelStepRow[];
  banks: FunnelBankRow[];
  lapsed: number;
};

export async function isOperator(userId: string): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { role: true } });
  return user?.role === "OPERATOR";
}

/** Makes the user with this email an operator; false when there is no such user. */
export async function makeOperator(email: string): Promise<boolean> {
  const updated = await db().user.updateMany({
    where: { email: { equals: email.trim(), mode: "insensitive" } },
    data: { role: "OPERATOR" },
  });
  return updated.count > 0;
}

const zeroes = () =>
  Object.fromEntries(FUNNEL_STEPS.map(({ step }) => [step, 0])) as Record<FunnelStep, number>;

/**
 * The funnel over the last `days`: distinct users per step, distinct connections per step and bank,
 * and connections whose access lapsed in that time and was not renewed (a renewal moves the date on).
 */
export async function getFunnelReport(until: Date, days = 30): Promise<FunnelReport> {
  const since = addDays(until, -days);
  const inWindow = { createdAt: { gte: since, lte: until } };
  const [perUser, perConnection, lapsedRows] = await Promise.all([
    db().funnelEvent.groupBy({ by: ["step", "userId"], where: inWindow, _count: { _all: true } }),
    db().funnelEvent.groupBy({
      by: ["providerId", "step", "connectionId"],
      where: { ...inWindow, providerId: { not: null }, step: { in: [...PER_BANK_STEPS] } },
    }),
    db().connection.groupBy({
      by: ["providerId"],
      where: { consentExpiresAt: { gt: since, lte: until }, status: { not: "REVOKED" } },
      _count: { _all: true },
    }),
  ]);

  const users = zeroes();
  const events = zeroes();
  for (const row of perUser) {
    users[row.step] += 1;
    events[row.step] += row._count._all;
  }

  const banks = new Map<string, { connections: Record<FunnelStep, number>; lapsed: number }>();
  const bank = (providerId: string) => {
    const found = banks.get(providerId) ?? { connections: zeroes(), lapsed: 0 };
    banks.set(providerId, found);
    return found;
  };
  for (const row of perConnection) if (row.providerId) bank(row.providerId).connections[row.step] += 1;
  for (const row of lapsedRows) bank(row.providerId).lapsed = row._count._all;

  const names = await db().connection.findMany({
    where: { providerId: { in: [...banks.keys()] } },
    distinct: ["providerId"],
    select: { providerId: true, providerName: true },
  });
  const nameOf = new Map(names.map((n) => [n.providerId, n.providerName]));

  return {
    since,
    until,
    steps: FUNNEL_STEPS.map(({ step, label }) => ({ step, label, users: users[step], events: events[step] })),
    banks: [...banks.entries()]
      .map(([providerId, b]) => ({ providerId, providerName: nameOf.get(providerId) ?? providerId, ...b }))
      .sort(
        (a, b) =>
          b.connections.REMINDED - a.connections.REMINDED || a.providerName.localeCompare(b.providerName),
      ),
    lapsed: lapsedRows.reduce((sum, row) => sum + row._count._all, 0),
  };
}
