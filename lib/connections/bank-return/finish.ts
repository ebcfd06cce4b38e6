import "server-only";
import { transaction } from "@/lib/db";
import { storeConnectAnswer } from "../connect/complete";
import { settleCodeExchange } from "../store/exchanges";
import { dropParked, findParked, forgetParked, type Parked } from "../store/parked-returns";
import { resultPathFor } from "./callback";
import { discardParked } from "./parked";

export type ParkedView =
  | { kind: "missing" }
  | { kind: "not_owner"; providerName: string }
  | { kind: "ready"; providerName: string; accounts: string[]; purpose: Parked["purpose"] };

export async function viewParked(
  exchangeId: string,
  browserHash: string | null,
  userId: string,
): Promise<ParkedView> {
  const parked = await findParked(exchangeId, browserHash);
  if (!parked) return { kind: "missing" };
  const providerName = parked.snapshot.providerName;
  if (parked.ownerId !== userId) return { kind: "not_owner", providerName };
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
  if (parked.ownerId !== userId || parked.purpose === "EXTEND") {
    await discardParked(parked, "not_owner");
    return "/connections/problem?reason=not_owner";
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
  if (result.outcome.status === "failed") {
    await forgetParked(parked, result.outcome.reason);
    return resultPathFor({ id: exchangeId, outcome: result.outcome });
  }
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
