import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader, SkipLink } from "@/app/_components/app-header";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Page not found" };

const linkClass = "inline-flex min-h-12 items-center font-semibold text-brand-700 underline";

/** Any unknown address: say so, and offer the way home for who is reading. */
export default async function NotFound() {
  // Rendered beside every page's error boundary, not inside one: it must not fail when the database does, or a
  // database error anywhere would take the whole document down instead of showing app/error.tsx.
  const user = await getCurrentUser().catch(() => null);
  const signedIn = Boolean(user?.name);
  return (
    <>
      <SkipLink />
      <AppHeader signedIn={signedIn} />
      <main id="main" className="mx-auto max-w-3xl space-y-4 px-4 py-10">
        <h1 className="text-2xl font-bold sm:text-3xl">We couldn&apos;t find that page</h1>
        <p className="text-base">The address may be mistyped, or the page has moved.</p>
        <ul className="flex flex-col gap-1 sm:flex-row sm:gap-6">
          {signedIn ? (
            <li>
              <Link href="/connections" className={linkClass}>
                Go to your connections
              </Link>
            </li>
          ) : null}
          <li>
            <Link href="/" className={linkClass}>
              Go to the home page
            </Link>
          </li>
        </ul>
      </main>
    </>
  );
}
