"use client";
import { useFormStatus } from "react-dom";

const SOLID =
  "inline-flex min-h-12 w-full items-center justify-center rounded-lg px-6 py-2 text-center text-base font-semibold text-white disabled:opacity-70 sm:w-auto";
const TONES = {
  primary: `${SOLID} bg-brand-700 hover:bg-brand-800`,
  danger: `${SOLID} bg-red-800 hover:bg-red-900`,
  // A secondary way on, as quiet as a link (a stopped bank's "Connect again").
  quiet: "inline-flex min-h-12 items-center font-medium text-brand-700 underline disabled:opacity-70",
} as const;

export type ButtonTone = keyof typeof TONES;

/** The form's submit button, showing that it is working while the action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  tone = "primary",
}: {
  children: React.ReactNode;
  pendingLabel: string;
  /** "danger" for what cannot be undone: the same red as every "Stop sharing". */
  tone?: ButtonTone;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={TONES[tone]}>
      {pending ? pendingLabel : children}
    </button>
  );
}
