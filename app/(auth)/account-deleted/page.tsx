import type { Metadata } from "next";
import { BackLink } from "@/app/_components/links";
import { pendingFrom } from "@/lib/users/deleted-page";

export const metadata: Metadata = { title: "Account deleted", robots: { index: false } };

type Params = { pending?: string | string[]; unfinished?: string | string[] };

export default async function AccountDeletedPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  if (params.unfinished) return <Unfinished />;
  const pending = pendingFrom(params.pending);
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

// A deletion that began, then failed part-way: the scheduled job's maintenance finishes it (and sends the mail).
function Unfinished() {
  return (
    <>
      <h1 className="text-2xl font-bold">We&apos;re deleting your account</h1>
      <p className="mt-3 text-base">
        You are signed out everywhere. Something interrupted the deletion part-way, so we finish it
        automatically soon; you don&apos;t need to do anything.
      </p>
      <p className="mt-3 text-base">
        We email you a confirmation, naming any bank whose sharing TrueLayer has not yet confirmed stopped.
      </p>
      <BackLink href="/">Back to the home page</BackLink>
    </>
  );
}
