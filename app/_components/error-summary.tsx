"use client";
import { useEffect, useRef } from "react";

export type SummaryError = { text: string; fieldId: string };

/**
 * The GOV.UK error summary: above the form, focused when it appears, each error a link that moves focus to
 * its field. Without JavaScript the links still jump to the field.
 */
export function ErrorSummary({ errors }: { errors: SummaryError[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) box.current?.focus();
  }, [errors]);
  if (errors.length === 0) return null;
  return (
    <div
      ref={box}
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
      className="rounded-lg border-4 border-red-700 bg-white p-4 focus:outline-4 focus:outline-offset-2 focus:outline-amber-400"
    >
      <h2 id="error-summary-title" className="text-lg font-bold text-ink">
        There is a problem
      </h2>
      <ul className="mt-2 space-y-1">
        {errors.map((error) => (
          <li key={error.fieldId + error.text}>
            <a
              href={`#${error.fieldId}`}
              onClick={(event) => {
                const field = document.getElementById(error.fieldId);
                if (!field) return;
                event.preventDefault();
                (field.closest("fieldset") ?? field).scrollIntoView({ block: "start" });
                field.focus({ preventScroll: true });
              }}
              className="inline-flex min-h-11 items-center font-semibold text-red-800 underline"
            >
              {error.text}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
