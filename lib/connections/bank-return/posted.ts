import "server-only";
import { now } from "@/lib/clock";
import { recordCallbackPost as record, takeCallbackPost as take } from "../store/exchanges";
import { openSecret, sealSecret } from "../tokens";
import type { CallbackParams } from "./callback";

/** A form_post return lives for as long as a code does. */
const POST_MS = 5 * 60 * 1000;
const FIELDS = ["code", "state", "error"] as const;

// A form_post return is a cross-site POST carrying none of our SameSite=Lax cookies: it is only recorded,
// sealed, and judged on the GET of ours the browser is sent to.
export async function recordCallbackPost(form: FormData): Promise<string | null> {
  const params: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = form.get(field);
    if (typeof value === "string" && value.length > 0 && value.length <= 2048) params[field] = value;
  }
  if (!params.code && !params.error) return null;
  return record(sealSecret(JSON.stringify(params)), new Date(now().getTime() + POST_MS));
}

export async function takeCallbackPost(id: string): Promise<CallbackParams | null> {
  const sealed = await take(id);
  if (!sealed) return null;
  const params = JSON.parse(openSecret(sealed)) as Record<string, string>;
  return { code: params.code, state: params.state, error: params.error };
}
