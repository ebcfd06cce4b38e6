"use client";
import { useActionState } from "react";
import { FieldErrors } from "@/app/_components/field-errors";
import type { ActionState } from "@/lib/auth/action";
import { declineAction } from "@/lib/connections/actions/decline";
import { reconfirmAction } from "@/lib/connections/actions/reconfirm";
import type { ReconfirmCopy } from "@/lib/connections/reconfirm-copy";
import { BankChoice, type BankExtras } from "./bank-choice";
import { ChoiceButtons } from "./choice-buttons";
import { ConsentPoints } from "./consent-points";
import { SelectAll } from "./select-all";

type Props = {
  copy: ReconfirmCopy;
  copyHash: string;
  extras: Record<string, BankExtras>;
  allTicked: boolean;
};

/** The one yes/no screen. A plain form: it works before (and without) JavaScript. */
export function ReconfirmForm({ copy, copyHash, extras, allTicked }: Props) {
  const [state, formAction] = useActionState<ActionState, FormData>(reconfirmAction, {});
  const [declined, declineFormAction] = useActionState<ActionState, FormData>(declineAction, {});
  const single = copy.banks.length === 1 ? copy.banks[0] : undefined;
  const message = state.message ?? declined.message;
  const choiceErrors = state.errors?.connectionId;

  return (
    <form action={formAction} className="space-y-6">
      <input type="hidden" name="copyHash" value={copyHash} />
      {copy.banks.map((bank) => (
        <input key={bank.connectionId} type="hidden" name="shownConnectionId" value={bank.connectionId} />
      ))}
      {single ? <input type="hidden" name="connectionId" value={single.connectionId} /> : null}
      <header>
        <h1 className="text-2xl font-bold leading-tight sm:text-3xl">{copy.heading}</h1>
        <p className="mt-2 text-lg text-muted">{copy.summary}</p>
      </header>
      {message ? (
        <p
          role="alert"
          className="rounded-lg bg-red-50 p-4 text-base font-medium text-red-800 ring-1 ring-red-200"
        >
          {message}
        </p>
      ) : null}
      {single ? (
        <BankChoice bank={single} extras={extras[single.connectionId]} />
      ) : (
        <fieldset aria-describedby={choiceErrors?.length ? "choice-error" : undefined}>
          <legend className="text-lg font-semibold">Choose the banks to keep sharing with</legend>
          <ul className="mt-3 space-y-3">
            {copy.banks.map((bank) => (
              <li key={bank.connectionId}>
                <BankChoice
                  bank={bank}
                  extras={extras[bank.connectionId]}
                  selectable
                  defaultChecked={allTicked}
                />
              </li>
            ))}
          </ul>
          <FieldErrors id="choice-error" errors={choiceErrors} />
          <SelectAll />
        </fieldset>
      )}
      <ConsentPoints copy={copy} />
      <ChoiceButtons
        yes={single ? "Yes, keep sharing" : "Keep sharing with the selected banks"}
        no={single ? "No, stop sharing" : "No, stop sharing"}
        declineAction={declineFormAction}
      />
    </form>
  );
}
