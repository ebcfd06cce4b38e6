"use client";
import Link from "next/link";
import { type ReactNode, useActionState, useMemo } from "react";
import { ErrorSummary } from "@/app/_components/error-summary";
import type { ActionState } from "@/lib/auth/action";
import { declineAction } from "@/lib/connections/actions/decline";
import { reconfirmAction } from "@/lib/connections/actions/reconfirm";
import { ChoiceButtons } from "./choice-buttons";
import { SelectAll } from "./select-all";

type Props = {
  copyHash: string;
  shownIds: string[];
  /** Set when one bank is shown: consent and reconfirmation merge into one yes/no. */
  singleId?: string;
  heading: string;
  summary: string;
  /** The bank (or the list of banks to tick) and the consent copy, rendered on the server. */
  choices: ReactNode;
  consent: ReactNode;
  /** "Not now" says that nothing changed and when the next reminder comes. */
  laterHref: string;
};

/**
 * The one yes/no screen. A plain form: it works before (and without) JavaScript. Only the form's
 * state lives here; everything it shows is server-rendered and passed in, to keep the page's script small.
 */
export function ReconfirmForm({
  copyHash,
  shownIds,
  singleId,
  heading,
  summary,
  choices,
  consent,
  laterHref,
}: Props) {
  const [state, formAction] = useActionState<ActionState, FormData>(reconfirmAction, {});
  const [declined, declineFormAction] = useActionState<ActionState, FormData>(declineAction, {});
  const choiceErrors = state.errors?.connectionId;
  // A field error is said once, in the summary that links to the field; no vague "check the fields".
  const message = (choiceErrors?.length ? undefined : state.message) ?? declined.message;
  const firstBank = shownIds[0];
  const errorList = useMemo(
    () => (choiceErrors ?? []).map((text) => ({ text, fieldId: `bank-${firstBank}` })),
    [choiceErrors, firstBank],
  );

  return (
    <form action={formAction} className="space-y-6">
      <input type="hidden" name="copyHash" value={copyHash} />
      {shownIds.map((id) => (
        <input key={id} type="hidden" name="shownConnectionId" value={id} />
      ))}
      {singleId ? <input type="hidden" name="connectionId" value={singleId} /> : null}
      <ErrorSummary errors={errorList} />
      <header>
        <h1 className="text-2xl font-bold leading-tight sm:text-3xl">{heading}</h1>
        <p className="mt-2 text-lg text-muted">{summary}</p>
      </header>
      {message ? (
        <p
          role="alert"
          className="rounded-lg bg-red-50 p-4 text-base font-medium text-red-800 ring-1 ring-red-200"
        >
          {message}
        </p>
      ) : null}
      {singleId ? (
        choices
      ) : (
        <fieldset
          aria-describedby={choiceErrors?.length ? "choice-error" : undefined}
          className={choiceErrors?.length ? "border-l-4 border-red-700 pl-3" : undefined}
        >
          <legend className="text-lg font-semibold">Choose the banks to keep sharing from</legend>
          {choiceErrors?.length ? (
            <p id="choice-error" className="mt-1 text-base font-semibold text-red-800">
              <span className="sr-only">Error: </span>
              {choiceErrors.join(" ")}
            </p>
          ) : null}
          {choices}
          <SelectAll />
        </fieldset>
      )}
      {consent}
      <ChoiceButtons
        yes={singleId ? "Yes, keep sharing" : "Keep sharing from the selected banks"}
        no="No, stop sharing"
        declineAction={declineFormAction}
      />
      <Link
        href={laterHref}
        className="inline-flex min-h-11 items-center font-medium text-brand-700 underline"
      >
        Not now: decide later, nothing changes
      </Link>
    </form>
  );
}
