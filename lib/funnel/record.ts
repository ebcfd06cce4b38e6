import "server-only";
import type { FunnelStep } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { sql } from "@/lib/db";
import { newId } from "@/lib/ids";

export type FunnelEventInput = {
  step: FunnelStep;
  userId: string;
  connectionId?: string | null;
  providerId?: string | null;
};

function warn(what: string, error: unknown) {
  const reason = error instanceof Error ? error.name : "unknown error";
  console.warn(`[funnel] could not record ${what} (${reason}); the user's request goes on`);
}

// Never throws: a failure to count a step must not fail the step itself.
export function recordFunnelEvent(event: FunnelEventInput): Promise<void> {
  return recordFunnelEvents([event]);
}

/** The INSERT of the events, for a statement that carries other disposable writes too (a renewal's figures). */
export function funnelInsertStatement(events: FunnelEventInput[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "FunnelEvent" ("id", "userId", "connectionId", "providerId", "step", "createdAt")
    SELECT e."id", e."userId", e."connectionId", e."providerId", e."step"::"FunnelStep", ${now()}::timestamp(3)
    FROM unnest(${events.map(() => newId())}::text[], ${events.map((e) => e.userId)}::text[],
      ${events.map((e) => e.connectionId ?? null)}::text[], ${events.map((e) => e.providerId ?? null)}::text[],
      ${events.map((e) => e.step)}::text[]) AS e("id", "userId", "connectionId", "providerId", "step")`;
}

export function funnelNotRecorded(events: FunnelEventInput[], error: unknown): void {
  warn(events.length === 1 ? (events[0]?.step ?? "1 event") : `${events.length} events`, error);
}

// Never throws. SQL of our own: recorded on every submission (docs/decisions/013-hot-path-sql.md).
export async function recordFunnelEvents(events: FunnelEventInput[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await sql(funnelInsertStatement(events));
  } catch (error) {
    funnelNotRecorded(events, error);
  }
}

export function recordReminderLinkOpened(userId: string): Promise<void> {
  return recordFunnelEvent({ step: "LINK_OPENED", userId });
}
