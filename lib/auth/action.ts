import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { withRequestId } from "@/lib/log";
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

// The handler must still check that the user owns every id the input names. `reminderLink` opens the
// action to a reminder session, for the connections it names and only when all of them are its own.
// A hand-made POST can name the action directly ($ACTION_ID_…) instead of through the form's bound state, and
// then the form data arrives first and nothing second: take it from wherever it is.
export function submittedForm(previous: ActionState | FormData | undefined, submitted?: FormData): FormData {
  return submitted instanceof FormData ? submitted : previous instanceof FormData ? previous : new FormData();
}

export function authedAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.output<S>, user: SessionUser) => Promise<ActionState>,
  options: {
    arrays?: readonly string[];
    signInReturnTo?: string;
    reminderLink?: (input: z.output<S>) => string[];
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
    return withRequestId(await requestHeaders(), () => handler(parsed.data, user));
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
