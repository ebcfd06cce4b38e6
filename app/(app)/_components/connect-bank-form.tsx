"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/app/_components/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { connectAction } from "@/lib/connections/actions/connect";

type Props = {
  label?: string;
  /** Preselects this connection's bank; a live connection is then replaced, not duplicated. */
  connectionId?: string;
};

/** Sends the user to TrueLayer's dialog; a plain form post, so it works without JavaScript. */
export function ConnectBankForm({ label = "Connect a bank", connectionId }: Props) {
  const [state, formAction] = useActionState<ActionState, FormData>(connectAction, {});
  return (
    <form action={formAction}>
      {connectionId ? <input type="hidden" name="connectionId" value={connectionId} /> : null}
      <SubmitButton pendingLabel="Opening your bank…">{label}</SubmitButton>
      {state.message ? (
        <p role="alert" className="mt-2 text-sm font-medium text-red-800">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
