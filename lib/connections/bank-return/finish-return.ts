import "server-only";
import { finishExtendReturn, tripsFor } from "./callback";
import { CODE_LIFE_MS, dropReturn, keptReturn } from "./waiting";

export type WaitingView =
  | { kind: "none" }
  | { kind: "expired" }
  | { kind: "no_trip" }
  | { kind: "sign_in"; until: Date }
  | { kind: "ready"; banks: string };

const names = (list: string[]) =>
  list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;

export async function viewWaitingReturn(userId: string | null): Promise<WaitingView> {
  const kept = await keptReturn("waiting");
  if (!kept) return { kind: "none" };
  if (kept.expired) return { kind: "expired" };
  if (!userId) return { kind: "sign_in", until: new Date(kept.receivedAt.getTime() + CODE_LIFE_MS) };
  const trips = await tripsFor(userId, {});
  if (trips.length === 0) return { kind: "no_trip" };
  return { kind: "ready", banks: names([...new Set(trips.map((t) => t.providerName))]) };
}

/** Exchanged only now, with the trip's owner signed in in the browser that came back; the kept code goes. */
export async function finishWaitingReturn(userId: string, psuIp: string | undefined): Promise<string> {
  const kept = await keptReturn("waiting");
  await dropReturn();
  const code = kept?.params.code ?? kept?.params.exchange_code;
  if (!kept || !code) return "/connections/problem?reason=link";
  if (kept.expired) return "/connections/problem?reason=expired&from=reconfirm";
  const trips = await tripsFor(userId, {});
  if (trips.length === 0) return "/connections/problem?reason=no_trip";
  return finishExtendReturn(code, trips, { psuIp });
}
