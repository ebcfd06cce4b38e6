"use client";
import { useActionState } from "react";
import { ButtonLink } from "@/app/_components/links";
import { StopButton } from "@/app/(app)/_components/stop-button";
import type { ActionState } from "@/lib/auth/action";
import { confirmDeclineAction } from "@/lib/connections/actions/confirm-decline";

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
        <ButtonLink href="/reconfirm" secondary>
          Go back, change nothing
        </ButtonLink>
      </div>
    </form>
  );
}
