import "server-only";
import { db } from "@/lib/db";
import { attachExtendReturn } from "./bank-return";
import { findConnectionsAwaitingBank, settleCodeExchange } from "./bank-trip-queries";
import { resultPathFor } from "./callback";
import { storeConnectAnswer } from "./complete-connect";
import { discardParked, dropParked, findParked, type Parked } from "./parked";

export type ParkedView =
  | { kind: "missing" }
  | { kind: "not_owner"; providerName: string }
  | { kind: "ready"; providerName: string; accounts: string[]; purpose: Parked["purpose"] };

/** An extend return's trip among this user's: the one a parked return may finish. */
async function tripFor(parked: Parked, userId: string) {
  const trips = (await findConnectionsAwaitingBank({ userId })).filter((t) =>
    parked.connectionIds.includes(t.id),
  );
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

/** What the finish page shows this signed-in browser about a parked return. */
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

/**
 * The owner, signed in in the browser that came back from the bank, takes the parked answer: it is
 * stored exactly as a vouched-for return would have been. Anyone else ends it (revoked, deleted).
 * Returns the page to go to next.
 */
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
    return resultPathFor({ id: exchangeId, outcome: "extend:completed" });
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
  await db().$transaction(async (tx) => {
    await settleCodeExchange(
      exchangeId,
      { outcome: result.outcome, connectionId: result.connectionId ?? null, userId },
      tx,
    );
    await dropParked(parked.id, tx);
  });
  return resultPathFor({ id: exchangeId, outcome: result.outcome });
}
