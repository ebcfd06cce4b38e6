"use client";
import { ActionForm } from "@/app/_components/action-form";
import { continueAtBankAction } from "@/lib/connections/actions/continue-at-bank";

type Props = { reconfirmationId: string; connectionId: string; bankName: string };

/** The next bank of the same reconfirmation: a fresh link is asked for when pressed. */
export function ContinueButton({ reconfirmationId, connectionId, bankName }: Props) {
  return (
    <ActionForm
      action={continueAtBankAction}
      fields={{ reconfirmationId, connectionId }}
      pendingLabel="Contacting your bank…"
      className="mt-3"
    >
      Continue to {bankName}
    </ActionForm>
  );
}
