"use client";
import Link from "next/link";

export default function ConnectionsError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">Something went wrong</h1>
      <p role="alert" className="text-base">
        We couldn't load your bank connections just now. Nothing was changed.
      </p>
      <div className="flex flex-col gap-3 sm:flex-row">
        <button
          type="button"
          onClick={() => retry()}
          className="inline-flex min-h-12 items-center justify-center rounded-lg bg-brand-700 px-6 text-base font-semibold text-white hover:bg-brand-800"
        >
          Try again
        </button>
        <Link
          href="/connections"
          className="inline-flex min-h-12 items-center font-semibold text-brand-700 underline"
        >
          Back to your connections
        </Link>
      </div>
    </div>
  );
}
