import "server-only";
import { now } from "@/lib/clock";
import { redact } from "@/lib/truelayer";
import { credentialsInUse } from "../store/connections";
import { expiredParked, forgetParked, type Parked } from "../store/parked";
import { openSecret } from "../tokens";
import { truelayer } from "../truelayer";

export { parkReturn } from "../store/parked";

export const PARK_MS = 30 * 60 * 1000;

// Deleted whatever TrueLayer answers: the tokens must not outlive the decision. A grant that a stored connection
// lives on is not revoked (that would end the owner's connection); only our copy goes.
export async function discardParked(parked: Parked, reason: "not_owner" | "expired"): Promise<void> {
  const inUse = parked.purpose === "EXTEND" && (await credentialsInUse(parked.snapshot.credentialsId));
  if (!inUse) {
    await truelayer()
      .deleteConnection(openSecret(parked.snapshot.tokens.accessTokenSealed))
      .catch((error) => console.warn("Parked return: revoke failed", redact(error)));
  }
  await forgetParked(parked, reason);
}

// Run from /callback and the cron.
export async function sweepExpiredParks(at: Date = now(), limit = 50): Promise<number> {
  const rows = await expiredParked(at, limit);
  for (const row of rows) await discardParked(row, "expired");
  return rows.length;
}
