"use client";

/** Ticks every bank. Without JavaScript it is a link that shows the page again with all ticked. */
export function SelectAll() {
  return (
    <a
      href="?all=1"
      onClick={(event) => {
        const boxes = event.currentTarget
          .closest("form")
          ?.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="connectionId"]');
        if (!boxes) return;
        event.preventDefault();
        for (const box of boxes) box.checked = true;
      }}
      className="mt-3 inline-flex min-h-11 items-center font-medium text-brand-700 underline"
    >
      Select all
    </a>
  );
}
