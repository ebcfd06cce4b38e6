"use client";
import "./globals.css";

/** When the root layout itself fails: the same words as app/error.tsx, in a document of its own. */
export default function GlobalError({
  error,
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <html lang="en-GB">
      <body className="font-sans antialiased">
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
            {/* A plain link: a full reload, since the app's router may be what failed. */}
            <a href="/" className="inline-flex min-h-12 items-center font-semibold text-brand-700 underline">
              Go to the home page
            </a>
          </div>
        </main>
      </body>
    </html>
  );
}
