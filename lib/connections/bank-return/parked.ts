import "server-only";
import { now } from "@/lib/clock";
import { expiredParked, forgetParked, type Parked } from "../store/parked-returns";

export { parkReturn } from "../store/parked-returns";

export const PARK_MS = 30 * 60 * 1000;

// Its grant goes to the revoke queue in the statement that deletes it: the tokens never outlive the decision, and a
// grant that a stored connection lives on is only forgotten there, never revoked (that would end the owner's access).
export async function discardParked(parked: Parked, reason: "not_owner" | "expired"): Promise<void> {
  await forgetParked(parked, reason);
}

// Run from /callback and the cron.
export async function sweepExpiredParks(at: Date = now(), limit = 50): Promise<number> {
  const rows = await expiredParked(at, limit);
  for (const row of rows) await discardParked(row, "expired");
  return rows.length;
}
