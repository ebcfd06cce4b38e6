"use client";
import { useFormStatus } from "react-dom";

type Props = { yes: string; no: string; declineAction: (formData: FormData) => void };

/** Yes and no side by side; both wait while the bank is being contacted. */
export function ChoiceButtons({ yes, no, declineAction }: Props) {
  const { pending, action } = useFormStatus();
  const declining = pending && action === declineAction;
  return (
    <div className="flex flex-col gap-3 sm:flex-row">
      <button
        type="submit"
        disabled={pending}
        className="inline-flex min-h-12 items-center justify-center rounded-lg bg-brand-700 px-6 text-base font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
      >
        {pending && !declining ? "Contacting your bank…" : yes}
      </button>
      <button
        type="submit"
        formAction={declineAction}
        disabled={pending}
        className="inline-flex min-h-12 items-center justify-center rounded-lg bg-white px-6 text-base font-semibold text-ink ring-1 ring-gray-300 hover:bg-gray-50 disabled:opacity-70"
      >
        {declining ? "Saving…" : no}
      </button>
      <p aria-live="polite" className="sr-only">
        {pending && !declining ? "Contacting your bank, please wait." : ""}
      </p>
    </div>
  );
}
