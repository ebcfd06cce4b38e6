"use client";
import { ActionForm } from "@/app/_components/action-form";
import type { ButtonTone } from "@/app/_components/submit-button";
import { connectAction } from "@/lib/connections/actions/connect";

type Props = {
  label?: React.ReactNode;
  /** Preselects this connection's bank; a live connection is then replaced, not duplicated. */
  connectionId?: string;
  tone?: ButtonTone;
};

/** Sends the user to TrueLayer's dialog; a plain form post, so it works without JavaScript. */
export function ConnectBankForm({ label = "Connect a bank", connectionId, tone }: Props) {
  return (
    <ActionForm
      action={connectAction}
      fields={connectionId ? { connectionId } : {}}
      pendingLabel="Opening your bank…"
      tone={tone}
    >
      {label}
    </ActionForm>
  );
}
