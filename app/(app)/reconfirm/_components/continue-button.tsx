"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/app/_components/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { continueAtBankAction } from "@/lib/connections/actions/continue-at-bank";

type Props = { reconfirmationId: string; connectionId: string; bankName: string };

/** The next bank of the same reconfirmation: a fresh link is asked for when pressed. */
export function ContinueButton({ reconfirmationId, connectionId, bankName }: Props) {
  const [state, formAction] = useActionState<ActionState, FormData>(continueAtBankAction, {});
  return (
    <form action={formAction} className="mt-3">
      <input type="hidden" name="reconfirmationId" value={reconfirmationId} />
      <input type="hidden" name="connectionId" value={connectionId} />
      <SubmitButton pendingLabel="Contacting your bank…">Continue to {bankName}</SubmitButton>
      {state.message ? (
        <p role="alert" className="mt-2 text-sm font-medium text-red-800">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
