"use client";
import Link from "next/link";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/auth/action";
import { stopSharingAction } from "@/lib/connections/actions/stop-sharing";

function StopButton() {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      className="inline-flex min-h-12 w-full items-center justify-center rounded-lg bg-red-800 px-6 text-base font-semibold text-white hover:bg-red-900 disabled:opacity-70 sm:w-auto"
    >
      {pending ? "Stopping…" : "Stop sharing"}
    </button>
  );
}

/** The stop-sharing choice: a destructive button and a calm way back. */
export function StopSharingForm({ connectionId }: { connectionId: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(stopSharingAction, {});
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="connectionId" value={connectionId} />
      {state.message ? (
        <p role="alert" className="text-sm font-medium text-red-800">
          {state.message}
        </p>
      ) : null}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <StopButton />
        <Link
          href="/connections"
          className="inline-flex min-h-12 items-center justify-center rounded-lg px-6 text-base font-semibold text-brand-700 ring-1 ring-brand-700 hover:bg-brand-50"
        >
          Keep sharing
        </Link>
      </div>
    </form>
  );
}
