import "server-only";
import { now } from "@/lib/clock";
import { expiredParked, forgetParked, type Parked } from "../store/parked-returns";

export { parkReturn } from "../store/parked-returns";

export const PARK_MS = 30 * 60 * 1000;

// Queued for revocation by the deleting statement, unless a stored connection lives on it (decisions 043, 044).
export async function discardParked(parked: Parked, reason: "not_owner" | "expired"): Promise<void> {
  await forgetParked(parked, reason);
}

export async function sweepExpiredParks(at: Date = now(), limit = 50): Promise<number> {
  const rows = await expiredParked(at, limit);
  for (const row of rows) await discardParked(row, "expired");
  return rows.length;
}
