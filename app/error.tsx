"use client";
import Link from "next/link";

/** Anything a page throws: plain words and a way on, never the error's message or stack. The reference is
 * Next's digest of the error, which matches the server's log line and reveals nothing itself. */
export default function RootError({
  error,
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-5 px-4 py-10">
      <h1 className="text-2xl font-bold sm:text-3xl">Something went wrong on our side</h1>
      <p role="alert" className="text-base">
        We couldn&apos;t show this page just now. Please try again in a moment.
      </p>
      {error.digest ? <p className="text-sm text-gray-700">Reference: {error.digest}</p> : null}
      <div className="flex flex-col gap-3 sm:flex-row">
        <button
          type="button"
          onClick={() => retry()}
          className="inline-flex min-h-12 items-center justify-center rounded-lg bg-brand-700 px-6 text-base font-semibold text-white hover:bg-brand-800"
        >
          Try again
        </button>
        <Link href="/" className="inline-flex min-h-12 items-center font-semibold text-brand-700 underline">
          Go to the home page
        </Link>
      </div>
    </main>
  );
}
