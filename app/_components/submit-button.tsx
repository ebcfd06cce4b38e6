"use client";
import { useFormStatus } from "react-dom";

const TONES = {
  primary: "bg-brand-700 hover:bg-brand-800",
  danger: "bg-red-800 hover:bg-red-900",
} as const;

/** The form's submit button, showing that it is working while the action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  tone = "primary",
}: {
  children: React.ReactNode;
  pendingLabel: string;
  /** "danger" for what cannot be undone: the same red as every "Stop sharing". */
  tone?: "primary" | "danger";
}) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      className={`inline-flex min-h-12 w-full items-center justify-center rounded-lg px-6 py-2 text-center text-base font-semibold text-white disabled:opacity-70 sm:w-auto ${TONES[tone]}`}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
