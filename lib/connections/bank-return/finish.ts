import "server-only";
import { transaction } from "@/lib/db";
import { storeConnectAnswer } from "../connect/complete";
import { settleCodeExchange } from "../store/exchanges";
import { dropParked, findParked, type Parked } from "../store/parked";
import { findTrips } from "../store/trips";
import { resultPathFor } from "./callback";
import { attachExtendReturn } from "./complete";
import { discardParked } from "./parked";

export type ParkedView =
  | { kind: "missing" }
  | { kind: "not_owner"; providerName: string }
  | { kind: "ready"; providerName: string; accounts: string[]; purpose: Parked["purpose"] };

async function tripFor(parked: Parked, userId: string) {
  const trips = (await findTrips({ userId })).filter((t) => parked.connectionIds.includes(t.id));
  return (
    trips.find((t) => t.credentialsId === parked.snapshot.credentialsId) ??
    trips.find((t) => t.providerId === parked.providerId) ??
    trips[0]
  );
}

async function isOwner(parked: Parked, userId: string): Promise<boolean> {
  if (parked.purpose !== "EXTEND") return parked.ownerId === userId;
  if (parked.ownerId !== null && parked.ownerId !== userId) return false;
  return (await tripFor(parked, userId)) !== undefined;
}

export async function viewParked(
  exchangeId: string,
  browserHash: string | null,
  userId: string,
): Promise<ParkedView> {
  const parked = await findParked(exchangeId, browserHash);
  if (!parked) return { kind: "missing" };
  const providerName = parked.snapshot.providerName;
  if (!(await isOwner(parked, userId))) return { kind: "not_owner", providerName };
  return {
    kind: "ready",
    providerName,
    accounts: parked.snapshot.accounts.map((a) => [a.displayName, a.maskedNumber].filter(Boolean).join(" ")),
    purpose: parked.purpose,
  };
}

// The owner, signed in in the browser that came back, takes the parked answer; anyone else ends it.
export async function finishParked(
  exchangeId: string,
  browserHash: string | null,
  userId: string,
): Promise<string> {
  const parked = await findParked(exchangeId, browserHash);
  if (!parked) return "/connections/problem?reason=link";
  if (!(await isOwner(parked, userId))) {
    await discardParked(parked, "not_owner");
    return "/connections/problem?reason=not_owner";
  }
  if (parked.purpose === "EXTEND") {
    const trip = await tripFor(parked, userId);
    if (!trip) return "/connections/problem?reason=link";
    await attachExtendReturn(exchangeId, trip, parked.snapshot, parked.id);
    return resultPathFor({ id: exchangeId, outcome: { flow: "extend", status: "completed" } });
  }
  const result = await storeConnectAnswer(
    {
      userId,
      purpose: parked.purpose,
      connectionIds: parked.connectionIds,
      redirectUri: "",
      codeVerifierSealed: null,
    },
    parked.snapshot,
  );
  await transaction(async (tx) => {
    await settleCodeExchange(
      exchangeId,
      result.outcome,
      { connectionId: result.connectionId ?? null, userId },
      tx,
    );
    await dropParked(parked.id, tx);
  });
  return resultPathFor({ id: exchangeId, outcome: result.outcome });
}
