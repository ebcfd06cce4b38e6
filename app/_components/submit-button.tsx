"use client";
import { useFormStatus } from "react-dom";

/** The form's submit button, showing that it is working while the action runs. */
export function SubmitButton({
  children,
  pendingLabel,
}: {
  children: React.ReactNode;
  pendingLabel: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      className="inline-flex min-h-12 w-full items-center justify-center rounded-lg bg-brand-700 px-6 py-2 text-center text-base font-semibold text-white hover:bg-brand-800 disabled:opacity-70 sm:w-auto"
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
