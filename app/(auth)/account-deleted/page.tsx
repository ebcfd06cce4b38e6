import type { Metadata } from "next";
import Link from "next/link";
import { pendingFrom } from "@/lib/users/deleted-page";

export const metadata: Metadata = { title: "Account deleted", robots: { index: false } };

export default async function AccountDeletedPage({
  searchParams,
}: {
  searchParams: Promise<{ pending?: string | string[] }>;
}) {
  const pending = pendingFrom((await searchParams).pending);
  return (
    <>
      <h1 className="text-2xl font-bold">Your account is deleted</h1>
      <p className="mt-3 text-base">
        You are signed out everywhere, and we have sent a confirmation to your email address.
      </p>
      {pending.length ? (
        <>
          <p className="mt-3 text-base">
            TrueLayer has not confirmed yet that sharing stopped from these banks. We keep trying until it
            does:
          </p>
          <ul className="mt-2 list-disc pl-5 text-base">
            {pending.map((bank) => (
              <li key={bank}>{bank}</li>
            ))}
          </ul>
          <p className="mt-3 text-sm text-muted">You can also stop sharing at your bank.</p>
        </>
      ) : (
        <p className="mt-3 text-base">Sharing from every bank has stopped.</p>
      )}
      <p className="mt-6">
        <Link href="/" className="font-medium text-brand-700 underline">
          Back to the home page
        </Link>
      </p>
    </>
  );
}
