import "server-only";
import type { FunnelStep } from "@prisma/client";
import { now } from "@/lib/clock";
import { db } from "@/lib/db";

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

/**
 * Records one step of the reconfirmation funnel. Never throws: the funnel is for operators, and a
 * failure to count a step must not fail the step itself.
 */
export async function recordFunnelEvent(event: FunnelEventInput): Promise<void> {
  try {
    await db().funnelEvent.create({
      data: {
        step: event.step,
        userId: event.userId,
        connectionId: event.connectionId ?? null,
        providerId: event.providerId ?? null,
        createdAt: now(),
      },
    });
  } catch (error) {
    warn(event.step, error);
  }
}

/** Several events in one insert (e.g. one per connection of a reconfirmation). Never throws. */
export async function recordFunnelEvents(events: FunnelEventInput[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await db().funnelEvent.createMany({
      data: events.map((e) => ({
        step: e.step,
        userId: e.userId,
        connectionId: e.connectionId ?? null,
        providerId: e.providerId ?? null,
        createdAt: now(),
      })),
    });
  } catch (error) {
    warn(`${events.length} events`, error);
  }
}

/** For the reconfirm page, when it is opened with `?src=reminder` (a link from a reminder email). */
export function recordReminderLinkOpened(userId: string): Promise<void> {
  return recordFunnelEvent({ step: "LINK_OPENED", userId });
}
