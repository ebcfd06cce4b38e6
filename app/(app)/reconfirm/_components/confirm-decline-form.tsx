"use client";
import Link from "next/link";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/auth/action";
import { confirmDeclineAction } from "@/lib/connections/actions/confirm-decline";

function StopButton({ label }: { label: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      className="inline-flex min-h-12 w-full items-center justify-center rounded-lg bg-red-800 px-6 text-base font-semibold text-white hover:bg-red-900 disabled:opacity-70 sm:w-auto"
    >
      {pending ? "Stopping…" : label}
    </button>
  );
}

/** The confirmation of "No, stop sharing": stop every named bank now, or go back changing nothing. */
export function ConfirmDeclineForm({ connectionIds, label }: { connectionIds: string[]; label: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(confirmDeclineAction, {});
  return (
    <form action={formAction} className="space-y-4">
      {connectionIds.map((id) => (
        <input key={id} type="hidden" name="connectionId" value={id} />
      ))}
      {state.message ? (
        <p role="alert" className="text-base font-medium text-red-800">
          {state.message}
        </p>
      ) : null}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <StopButton label={label} />
        <Link
          href="/reconfirm"
          className="inline-flex min-h-12 items-center justify-center rounded-lg px-6 text-base font-semibold text-brand-700 ring-1 ring-brand-700 hover:bg-brand-50"
        >
          Go back, change nothing
        </Link>
      </div>
    </form>
  );
}
