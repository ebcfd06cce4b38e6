import "server-only";
import { recordFunnelEvents } from "@/lib/funnel/record";
import { commit, giveUp, holdOrWait, release } from "./custody";
import { getUserConnections } from "./store/connections";

export type DeclineResult =
  | { ok: true; stopped: string[]; busy: string[] }
  | { ok: false; problem: "not_found" };

/** "No, stop sharing", confirmed: recorded as declined, then stopped exactly as Stop sharing does. */
export async function declineAndStop(userId: string, connectionIds: string[]): Promise<DeclineResult> {
  const chosen = [...new Set(connectionIds)];
  const owned = await getUserConnections(userId, chosen);
  if (owned.length !== chosen.length || chosen.length === 0) return { ok: false, problem: "not_found" };
  const live = owned.filter((c) => c.status !== "REVOKED");
  await recordFunnelEvents(
    live.map((c) => ({ step: "DECLINED" as const, userId, connectionId: c.id, providerId: c.providerId })),
  );
  const stopped: string[] = [];
  const busy: string[] = [];
  for (const connection of owned) {
    const got = await holdOrWait(connection.id, userId, "decline");
    if (!("held" in got)) {
      if ("busy" in got) busy.push(connection.providerName);
      continue;
    }
    if (got.held.status === "REVOKED") {
      await release(got.held);
      stopped.push(connection.id);
      continue;
    }
    const { version } = await commit(got.held, { kind: "declined" }, { keepLease: true });
    await giveUp({ ...got.held, version }, "declined");
    stopped.push(connection.id);
  }
  return { ok: true, stopped, busy };
}
