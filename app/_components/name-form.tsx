"use client";
import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { updateNameAction } from "@/lib/users/actions/update-name";
import { FieldErrors } from "./field-errors";
import { SubmitButton } from "./submit-button";

type Props = { defaultName?: string | null; next?: string; submitLabel: string; className?: string };

/** Full name, for the first sign-in (then continues to `next`) and for settings (stays, says saved). */
export function NameForm({ defaultName, next, submitLabel, className = "" }: Props) {
  const [state, formAction] = useActionState<ActionState, FormData>(updateNameAction, {});
  // Controlled, so a rejected name stays in the field instead of being reset after the action.
  const [name, setName] = useState(defaultName ?? "");
  const errors = state.errors?.name;
  const describedBy = errors?.length ? "name-hint name-error" : "name-hint";

  return (
    <form action={formAction} noValidate className={`${className} space-y-5`.trim()}>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <div>
        <label htmlFor="name" className="block text-base font-semibold">
          Full name
        </label>
        <p id="name-hint" className="mt-1 text-sm text-muted">
          As it appears on your bank account
        </p>
        <input
          id="name"
          name="name"
          type="text"
          autoComplete="name"
          dir="auto"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={describedBy}
          className="mt-2 block min-h-12 w-full rounded-lg border border-gray-400 bg-white px-3 text-base aria-[invalid=true]:border-red-700"
        />
        <FieldErrors id="name-error" errors={errors} />
      </div>
      <SubmitButton pendingLabel="Saving…">{submitLabel}</SubmitButton>
      <p aria-live="polite" className="text-sm font-medium text-brand-700">
        {state.ok ? state.message : null}
      </p>
      {!state.ok && state.message && !errors?.length ? (
        <p role="alert" className="text-sm font-medium text-red-800">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
