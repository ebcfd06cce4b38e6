"use client";

export type ErrorProps = { error: Error & { digest?: string }; retry: () => void };

/** What app/error.tsx and app/global-error.tsx show: plain words, a reference and a way on; never the error's
 * message or stack. The reference is Next's digest of the error, which matches the server's log line. */
export function ErrorBody({ digest, retry }: { digest?: string; retry: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-5 px-4 py-10">
      <h1 className="text-2xl font-bold sm:text-3xl">Something went wrong on our side</h1>
      <p role="alert" className="text-base">
        We couldn&apos;t show this page just now. Please try again in a moment.
      </p>
      {digest ? <p className="text-sm text-gray-700">Reference: {digest}</p> : null}
      <div className="flex flex-col gap-3 sm:flex-row">
        {/* Written out: every page loads this, and a shared module would cost bytes (first-load JS budget). */}
        <button
          type="button"
          onClick={() => retry()}
          className="inline-flex min-h-12 items-center justify-center rounded-lg bg-brand-700 px-6 text-base font-semibold text-white hover:bg-brand-800"
        >
          Try again
        </button>
        {/* A plain link: a full reload, since the app's router may be what failed. */}
        <a href="/" className="inline-flex min-h-12 items-center font-semibold text-brand-700 underline">
          Go to the home page
        </a>
      </div>
    </main>
  );
}
