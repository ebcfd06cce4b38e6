"use client";
import { useActionState, useState } from "react";
import { FieldErrors } from "@/app/_components/field-errors";
import { SubmitButton } from "@/app/_components/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { requestLinkAction } from "@/lib/auth/actions/request-link";

export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(requestLinkAction, {});
  const [email, setEmail] = useState(defaultEmail);
  const errors = state.errors?.email;

  return (
    <form action={formAction} noValidate className="mt-6 space-y-5">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div>
        <label htmlFor="email" className="block text-base font-semibold">
          Email address
        </label>
        <input
          id="email"
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? "email-error" : undefined}
          className="mt-2 block min-h-12 w-full rounded-lg border border-gray-400 bg-white px-3 text-base aria-[invalid=true]:border-red-700"
        />
        <FieldErrors id="email-error" errors={errors} />
      </div>
      {state.message && !errors?.length ? (
        <p role="alert" className="text-sm font-medium text-red-800">
          {state.message}
        </p>
      ) : null}
      <SubmitButton pendingLabel="Sending…">Email me a sign-in link</SubmitButton>
    </form>
  );
}
