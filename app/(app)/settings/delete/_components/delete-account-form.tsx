"use client";
import { useActionState } from "react";
import { FieldErrors } from "@/app/_components/field-errors";
import { SubmitButton } from "@/app/_components/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { deleteAccountAction } from "@/lib/users/actions/delete-account";

export function DeleteAccountForm() {
  const [state, formAction] = useActionState<ActionState, FormData>(deleteAccountAction, {});
  const errors = state.errors?.understood;
  return (
    <form action={formAction} noValidate className="mt-6 space-y-5">
      <div className="flex items-start gap-3">
        <input
          id="understood"
          name="understood"
          type="checkbox"
          required
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? "understood-error" : undefined}
          className="mt-1 size-5"
        />
        <label htmlFor="understood" className="text-base">
          I understand that my account is deleted for good and cannot be restored.
        </label>
      </div>
      <FieldErrors id="understood-error" errors={errors} />
      <SubmitButton pendingLabel="Deleting your account…" tone="danger">
        Delete my account
      </SubmitButton>
    </form>
  );
}
