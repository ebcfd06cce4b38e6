import "server-only";
import type { FunnelStep } from "@prisma/client";
import { addDays } from "@/lib/clock";
import { lapsedPerProvider, providerNames } from "@/lib/connections/queries";
import { db } from "@/lib/db";
import { recordSecurityEvent } from "@/lib/security/events";
import { getUserRole, setUserRole, usersByEmail } from "@/lib/users/queries";
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
  return (await getUserRole(userId)) === "OPERATOR";
}

export async function makeOperator(email: string): Promise<boolean> {
  return setRole(email, "OPERATOR");
}

/** `npm run remove-operator`: the counterpart; the user's operator pages are gone on their next request. */
export async function removeOperator(email: string): Promise<"removed" | "not-operator" | "no-user"> {
  const users = await usersByEmail(email);
  if (users.length === 0) return "no-user";
  if (!users.some((u) => u.role === "OPERATOR")) return "not-operator";
  await setRole(email, "USER");
  return "removed";
}

async function setRole(email: string, role: "OPERATOR" | "USER"): Promise<boolean> {
  const users = await usersByEmail(email);
  for (const { id } of users) {
    await setUserRole(id, role);
    await recordSecurityEvent({
      kind: "OPERATOR_ROLE_CHANGED",
      userId: id,
      reason: role === "OPERATOR" ? "granted" : "removed",
    });
  }
  return users.length > 0;
}

const zeroes = () =>
  Object.fromEntries(FUNNEL_STEPS.map(({ step }) => [step, 0])) as Record<FunnelStep, number>;

// A renewal moves the end date on, so lapsed connections are those not renewed.
export async function getFunnelReport(until: Date, days = 30): Promise<FunnelReport> {
  const since = addDays(until, -days);
  const inWindow = { createdAt: { gte: since, lte: until } };
  const [perUser, perConnection, lapsedRows] = await Promise.all([
    db().funnelEvent.groupBy({ by: ["step", "userId"], where: inWindow, _count: { _all: true } }),
    db().funnelEvent.groupBy({
      by: ["providerId", "step", "connectionId"],
      where: { ...inWindow, providerId: { not: null }, step: { in: [...PER_BANK_STEPS] } },
    }),
    lapsedPerProvider(since, until),
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
  for (const row of lapsedRows) bank(row.providerId).lapsed = row.count;

  const nameOf = await providerNames([...banks.keys()]);

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
    lapsed: lapsedRows.reduce((sum, row) => sum + row.count, 0),
  };
}

export function funnelEventsOf(userId: string) {
  return db().funnelEvent.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}
