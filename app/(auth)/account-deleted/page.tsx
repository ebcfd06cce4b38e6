import type { Metadata } from "next";
import { BackLink } from "@/app/_components/links";
import { pendingFrom } from "@/lib/users/deleted-page";

export const metadata: Metadata = { title: "Account deleted", robots: { index: false } };

type Params = { pending?: string | string[] };

export default async function AccountDeletedPage({ searchParams }: { searchParams: Promise<Params> }) {
  const pending = pendingFrom((await searchParams).pending);
  return (
    <>
      <h1 className="text-2xl font-bold">Your account is deleted</h1>
      <p className="mt-3 text-base">
        You are signed out everywhere, and we have sent a confirmation to your email address.
      </p>
      {pending.length ? (
        <>
          <p className="mt-3 text-base">TrueLayer has not confirmed that sharing stopped from these banks:</p>
          <ul className="mt-2 list-disc pl-5 text-base">
            {pending.map((bank) => (
              <li key={bank}>{bank}</li>
            ))}
          </ul>
          <p className="mt-3 text-sm text-muted">
            We keep trying wherever TrueLayer can still end it. To be sure, withdraw access at your bank too.
          </p>
        </>
      ) : (
        <p className="mt-3 text-base">Sharing from every bank has stopped.</p>
      )}
      <BackLink href="/">Back to the home page</BackLink>
    </>
  );
}
