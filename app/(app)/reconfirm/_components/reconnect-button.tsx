"use client";
import { ActionForm } from "@/app/_components/action-form";
import { connectAction } from "@/lib/connections/actions/connect";

type Props = { connectionId: string; providerId: string; bankName: string };

/** Through TrueLayer's dialog again with this bank preselected; the connection is replaced, not duplicated. */
export function ReconnectButton({ connectionId, providerId, bankName }: Props) {
  return (
    <ActionForm
      action={connectAction}
      fields={{ connectionId, providerId }}
      pendingLabel="Opening TrueLayer…"
      className="mt-3"
    >
      Connect {bankName} again
    </ActionForm>
  );
}
