import "server-only";
import { headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { failureFields, log, withRequestId } from "@/lib/log";
import { accountOpen } from "@/lib/users/queries";
import { getReminderSession } from "./reminder-session";
import { getCurrentUser } from "./session";
import type { SessionUser } from "./session-user";

// Never secrets or tokens.
export type ActionState = {
  ok?: boolean;
  message?: string;
  errors?: Record<string, string[] | undefined>;
};

export function formDataToObject(
  formData: FormData,
  arrays: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = arrays.includes(key) ? values : values[0];
  }
  for (const key of arrays) out[key] ??= [];
  return out;
}

// The handler still checks the user owns every id the input names. `reminderLink` opens it to a reminder session, for
// connections it names, only if all are its own. A hand-made POST naming the action directly ($ACTION_ID_…) sends the
// form data first and nothing second: take it from wherever it is.
export function submittedForm(previous: ActionState | FormData | undefined, submitted?: FormData): FormData {
  return submitted instanceof FormData ? submitted : previous instanceof FormData ? previous : new FormData();
}

// An account deleted while its action ran (rows gone, a lease lost) ends here: deletion signs out every device first.
const SIGNED_OUT = "/signin?signedOut=all";

export function authedAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.output<S>, user: SessionUser) => Promise<ActionState>,
  options: {
    arrays?: readonly string[];
    signInReturnTo?: string;
    reminderLink?: (input: z.output<S>) => string[];
    closedTo?: string;
  } = {},
) {
  return async (previous: ActionState | FormData | undefined, submitted?: FormData): Promise<ActionState> => {
    const formData = submittedForm(previous, submitted);
    const signIn = (): never =>
      redirect(`/signin?callbackUrl=${encodeURIComponent(options.signInReturnTo ?? "/connections")}`);
    const signedIn = await getCurrentUser();
    const reminder = signedIn || !options.reminderLink ? null : await getReminderSession();
    const user = signedIn ?? reminder?.user ?? signIn();
    const parsed = schema.safeParse(formDataToObject(formData, options.arrays));
    if (!parsed.success) {
      return {
        errors: z.flattenError(parsed.error).fieldErrors,
        message: "Please check the highlighted fields.",
      };
    }
    if (reminder && !options.reminderLink?.(parsed.data).every((id) => reminder.connectionIds.has(id)))
      signIn();
    let state: ActionState;
    try {
      state = await withRequestId(await requestHeaders(), () => handler(parsed.data, user));
    } catch (error) {
      unstable_rethrow(error);
      if (await accountOpen(user.id).catch(() => true)) throw error;
      log.warn("action.account_deleted", failureFields(error));
      redirect(options.closedTo ?? SIGNED_OUT);
    }
    if (state.message && !state.ok && !(await accountOpen(user.id))) redirect(options.closedTo ?? SIGNED_OUT);
    return state;
  };
}

// Outside a request (an action called from a test or a script) there are no headers: a fresh id then.
async function requestHeaders(): Promise<Headers | null> {
  try {
    return await headers();
  } catch {
    return null;
  }
}
