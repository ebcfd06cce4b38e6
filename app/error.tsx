"use client";
import { ErrorBody, type ErrorProps } from "./_components/error-body";

/** Anything a page throws. */
export default function RootError({ error, retry }: ErrorProps) {
  return <ErrorBody digest={error.digest} retry={retry} />;
}
