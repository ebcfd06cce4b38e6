"use client";
import "./globals.css";
import { ErrorBody, type ErrorProps } from "./_components/error-body";

/** When the root layout itself fails: the same page, in a document of its own. */
export default function GlobalError({ error, retry }: ErrorProps) {
  return (
    <html lang="en-GB">
      <body className="font-sans antialiased">
        <ErrorBody digest={error.digest} retry={retry} />
      </body>
    </html>
  );
}
