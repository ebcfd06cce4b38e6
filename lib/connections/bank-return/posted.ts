import "server-only";
import { now } from "@/lib/clock";
import { recordCallbackPost as record, takeCallbackPost as take } from "../store/exchanges";
import { openSecret, sealSecret } from "../tokens";
import { type CallbackParams, callbackParamsFrom } from "./callback";

/** A form_post return lives for as long as a code does. */
const POST_MS = 5 * 60 * 1000;

// A form_post return is a cross-site POST carrying none of our SameSite=Lax cookies: it is only recorded,
// sealed, and judged on the GET of ours the browser is sent to.
export async function recordCallbackPost(form: FormData): Promise<string | null> {
  const params = callbackParamsFrom((field) => {
    const value = form.get(field);
    return typeof value === "string" ? value : null;
  });
  if (!params.code && !params.exchange_code && !params.error) return null;
  return record(sealSecret(JSON.stringify(params)), new Date(now().getTime() + POST_MS));
}

export async function takeCallbackPost(id: string): Promise<CallbackParams | null> {
  const sealed = await take(id);
  if (!sealed) return null;
  const stored = JSON.parse(openSecret(sealed)) as Record<string, unknown>;
  return callbackParamsFrom((field) => (typeof stored[field] === "string" ? stored[field] : null));
}
