"use client";
import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/app/_components/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { openReminderLinkAction } from "@/lib/auth/actions/open-reminder-link";

export function OpenLinkForm({ token }: { token: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(openReminderLinkAction, {});
  return (
    <form action={formAction} className="mt-6 space-y-4">
      <input type="hidden" name="token" value={token} />
      {state.message ? (
        <div role="alert" className="rounded-lg bg-red-50 p-4 text-base text-red-800 ring-1 ring-red-200">
          <p className="font-medium">{state.message}</p>
          <p className="mt-2">
            <Link
              href={`/signin?callbackUrl=${encodeURIComponent("/reconfirm")}`}
              className="font-semibold underline"
            >
              Sign in to renew instead
            </Link>
          </p>
        </div>
      ) : null}
      <SubmitButton pendingLabel="Opening…">Continue</SubmitButton>
    </form>
  );
}
