"use client";
import { primaryButton } from "./button-classes";

/** Renders the failed segment again (Next's `retry`). */
export function RetryButton({ retry }: { retry: () => void }) {
  return (
    <button type="button" onClick={() => retry()} className={primaryButton}>
      Try again
    </button>
  );
}
