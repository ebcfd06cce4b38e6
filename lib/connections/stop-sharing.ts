import "server-only";
import { giveUp, holdOrWait, release, type StopReason } from "./custody";

export type { StopReason } from "./custody";

export type StopResult =
  | { ok: true; reason: StopReason | "already_stopped"; providerName: string }
  | { ok: false; problem: "not_found" | "busy" };

/** Stops a connection: revoked at TrueLayer, or queued for it, as our tokens go. Waits out a refresh in flight. */
export async function stopSharing(
  userId: string,
  connectionId: string,
  reason: "stopped" | "declined" | "deleted" = "stopped",
): Promise<StopResult> {
  const got = await holdOrWait(connectionId, userId, `stop:${reason}`);
  if ("missing" in got) return { ok: false, problem: "not_found" };
  if ("busy" in got) return { ok: false, problem: "busy" };
  const { held } = got;
  if (held.status === "REVOKED") {
    await release(held);
    return { ok: true, reason: "already_stopped", providerName: held.providerName };
  }
  return { ok: true, reason: await giveUp(held, reason), providerName: held.providerName };
}
