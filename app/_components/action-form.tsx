"use client";
import { type ReactNode, useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { type ButtonTone, SubmitButton } from "./submit-button";

type Props = {
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  /** Hidden fields the action reads; it re-checks ownership of every id itself. */
  fields?: Record<string, string>;
  pendingLabel: string;
  className?: string;
  tone?: ButtonTone;
  children: ReactNode;
};

/** A one-button server-action form: a plain POST that works without JavaScript, with its message announced. */
export function ActionForm({ action, fields = {}, pendingLabel, className, tone, children }: Props) {
  const [state, formAction] = useActionState<ActionState, FormData>(action, {});
  return (
    <form action={formAction} className={className}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton pendingLabel={pendingLabel} tone={tone}>
        {children}
      </SubmitButton>
      {state.message ? (
        <p role="alert" className="mt-2 text-sm font-medium text-red-800">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
