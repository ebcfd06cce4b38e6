"use client";
import { ErrorBody } from "./_components/error-body";

/** Anything a page throws. */
export default function RootError({
  error,
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return <ErrorBody digest={error.digest} retry={retry} />;
}
