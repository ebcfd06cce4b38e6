import Link from "next/link";

export function NothingToRenew() {
  return (
    <>
      <h1 className="text-2xl font-bold">Nothing to renew right now</h1>
      <p className="mt-2 text-base text-muted">Your bank connections don't need you at the moment.</p>
      <Link
        href="/connections"
        className="mt-4 inline-flex min-h-11 items-center font-medium text-brand-700 underline"
      >
        Back to your connections
      </Link>
    </>
  );
}
