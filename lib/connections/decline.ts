import "server-only";
import { recordFunnelEvents } from "@/lib/funnel/record";
import { stopSharing } from "./stop-sharing";
import { getUserConnections } from "./store/connections";
import { appendEvents } from "./store/events";

export type DeclineResult =
  | { ok: true; stopped: string[]; busy: string[] }
  | { ok: false; problem: "not_found" };

/** "No, stop sharing", confirmed: recorded as declined, then stopped exactly as Stop sharing does. */
export async function declineAndStop(userId: string, connectionIds: string[]): Promise<DeclineResult> {
  const chosen = [...new Set(connectionIds)];
  const owned = await getUserConnections(userId, chosen);
  if (owned.length !== chosen.length || chosen.length === 0) return { ok: false, problem: "not_found" };
  const live = owned.filter((c) => c.status !== "REVOKED");
  await appendEvents(live.map((c) => ({ connectionId: c.id, type: "DECLINED", reason: "user_declined" })));
  await recordFunnelEvents(
    live.map((c) => ({ step: "DECLINED" as const, userId, connectionId: c.id, providerId: c.providerId })),
  );
  const stopped: string[] = [];
  const busy: string[] = [];
  for (const connection of owned) {
    const result = await stopSharing(userId, connection.id);
    if (result.ok) stopped.push(connection.id);
    else busy.push(connection.providerName);
  }
  return { ok: true, stopped, busy };
}
