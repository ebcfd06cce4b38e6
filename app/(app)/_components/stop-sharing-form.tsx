"use client";
import { useActionState } from "react";
import { ButtonLink } from "@/app/_components/links";
import type { ActionState } from "@/lib/auth/action";
import { stopSharingAction } from "@/lib/connections/actions/stop-sharing";
import { StopButton } from "./stop-button";

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
        <ButtonLink href="/connections" secondary>
          Keep sharing
        </ButtonLink>
      </div>
    </form>
  );
}
