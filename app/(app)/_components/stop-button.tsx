"use client";
import { useFormStatus } from "react-dom";

/** The destructive submit of a stop-sharing form; says so while it works. */
export function StopButton({ label = "Stop sharing" }: { label?: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      className="inline-flex min-h-12 w-full items-center justify-center rounded-lg bg-red-800 px-6 text-base font-semibold text-white hover:bg-red-900 disabled:opacity-70 sm:w-auto"
    >
      {pending ? "Stopping…" : label}
    </button>
  );
}
