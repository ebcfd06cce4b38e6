"use client";
import "./globals.css";
import { ErrorBody } from "./_components/error-body";

/** When the root layout itself fails: the same page, in a document of its own. */
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
        <ErrorBody digest={error.digest} retry={retry} />
      </body>
    </html>
  );
}
