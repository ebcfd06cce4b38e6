"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/app/_components/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { connectAction } from "@/lib/connections/actions/connect";

type Props = { connectionId: string; providerId: string; bankName: string };

/** Through TrueLayer's dialog again with this bank preselected; the connection is replaced, not duplicated. */
export function ReconnectButton({ connectionId, providerId, bankName }: Props) {
  const [state, formAction] = useActionState<ActionState, FormData>(connectAction, {});
  return (
    <form action={formAction} className="mt-3">
      <input type="hidden" name="connectionId" value={connectionId} />
      <input type="hidden" name="providerId" value={providerId} />
      <SubmitButton pendingLabel="Opening TrueLayer…">Connect {bankName} again</SubmitButton>
      {state.message ? (
        <p role="alert" className="mt-2 text-sm font-medium text-red-800">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
