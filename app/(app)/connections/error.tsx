"use client";
import { ConnectionsLink } from "@/app/_components/links";
import { RetryButton } from "@/app/_components/retry-button";

export default function ConnectionsError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">Something went wrong</h1>
      <p role="alert" className="text-base">
        We couldn't load your bank connections just now. Nothing was changed.
      </p>
      <div className="flex flex-col gap-3 sm:flex-row">
        <RetryButton retry={retry} />
        <ConnectionsLink className="" strong />
      </div>
    </div>
  );
}
