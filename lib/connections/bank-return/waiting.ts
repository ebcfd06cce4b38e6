import "server-only";
import { cookies } from "next/headers";
import { now } from "@/lib/clock";
import { cookieOptions } from "@/lib/security/browser-binding";
import { cookieName } from "@/lib/security/cookie-name";
import { openSecret, sealSecret } from "../sealed-tokens";
import { type CallbackParams, callbackParamsFrom } from "./params";

// A return kept sealed in its browser, not a row: a form_post (cross-site POSTs carry no Lax cookies; our GET after
// judges it), or one without our state in a trip-less browser (exchanged once the trip's owner signs in here).
const RETURN_COOKIE = "reconsent.return";
const returnCookie = () => cookieName(RETURN_COOKIE);
// TrueLayer's error page: a code older than five minutes is refused.
export const CODE_LIFE_MS = 5 * 60 * 1000;

type Kept = { p: CallbackParams; at: number; k: "posted" | "waiting" };

export async function keepReturn(params: CallbackParams, kind: Kept["k"]): Promise<void> {
  const kept: Kept = { p: params, at: now().getTime(), k: kind };
  (await cookies()).set(returnCookie(), sealSecret(JSON.stringify(kept)), cookieOptions(CODE_LIFE_MS / 1000));
}

export type KeptReturn = { params: CallbackParams; receivedAt: Date; expired: boolean };

export async function keptReturn(kind: Kept["k"]): Promise<KeptReturn | null> {
  const value = (await cookies()).get(returnCookie())?.value;
  if (!value) return null;
  let kept: Partial<Kept>;
  try {
    kept = JSON.parse(openSecret(value)) as Partial<Kept>;
  } catch {
    return null;
  }
  if (kept.k !== kind || typeof kept.at !== "number" || typeof kept.p !== "object" || kept.p === null)
    return null;
  const stored = kept.p as Record<string, unknown>;
  return {
    params: callbackParamsFrom((field) => (typeof stored[field] === "string" ? stored[field] : null)),
    receivedAt: new Date(kept.at),
    expired: now().getTime() - kept.at > CODE_LIFE_MS,
  };
}

export async function dropReturn(): Promise<void> {
  (await cookies()).set(returnCookie(), "", cookieOptions(0));
}
