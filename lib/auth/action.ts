import "server-only";
import { redirect } from "next/navigation";
import { z } from "zod";
import { currentSessionToken, getCurrentUser, type SessionUser } from "./session";

/** What every form action returns: per-field errors and one message. Never secrets or tokens. */
export type ActionState = {
  ok?: boolean;
  message?: string;
  errors?: Record<string, string[] | undefined>;
};

/** FormData to a plain object; keys listed in `arrays` always become string arrays. */
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

type ActionOptions = { arrays?: readonly string[]; signInReturnTo?: string };

// A hand-made POST can name the action directly ($ACTION_ID_…) instead of through the form's bound
// state, and then the form data arrives first and nothing second: take it from wherever it is.
const submittedForm = (previous: ActionState | FormData | undefined, submitted?: FormData): FormData =>
  submitted instanceof FormData ? submitted : previous instanceof FormData ? previous : new FormData();

function toSignIn(options: ActionOptions): never {
  redirect(`/signin?callbackUrl=${encodeURIComponent(options.signInReturnTo ?? "/connections")}`);
}

const invalid = (error: z.ZodError): ActionState => ({
  errors: z.flattenError(error).fieldErrors,
  message: "Please check the highlighted fields.",
});

/**
 * Server actions are public POST endpoints: authenticate first, then validate, then the handler
 * (which must still check that the user owns every id the input names).
 */
export function authedAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.output<S>, user: SessionUser) => Promise<ActionState>,
  options: ActionOptions = {},
) {
  return async (previous: ActionState | FormData | undefined, submitted?: FormData): Promise<ActionState> => {
    const user = await getCurrentUser();
    if (!user) toSignIn(options);
    const parsed = schema.safeParse(formDataToObject(submittedForm(previous, submitted), options.arrays));
    if (!parsed.success) return invalid(parsed.error);
    return handler(parsed.data, user);
  };
}

/** What a sessionAction handler returns when its own lookup found no live session for the token. */
export const SIGNED_OUT = Symbol("signed out");

/**
 * authedAction for a hot path whose first statement looks the session up itself, together with what it
 * reads anyway (docs/decisions/013-hot-path-sql.md). The handler gets the session cookie's token and
 * must return SIGNED_OUT, before doing anything else, when its lookup finds no live session. Without a
 * cookie it never runs; with invalid input the session is checked here before the errors are shown.
 */
export function sessionAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.output<S>, sessionToken: string) => Promise<ActionState | typeof SIGNED_OUT>,
  options: ActionOptions = {},
) {
  return async (previous: ActionState | FormData | undefined, submitted?: FormData): Promise<ActionState> => {
    const token = await currentSessionToken();
    if (!token) toSignIn(options);
    const parsed = schema.safeParse(formDataToObject(submittedForm(previous, submitted), options.arrays));
    if (!parsed.success) {
      if (!(await getCurrentUser())) toSignIn(options);
      return invalid(parsed.error);
    }
    const result = await handler(parsed.data, token);
    if (result === SIGNED_OUT) toSignIn(options);
    return result;
  };
}
