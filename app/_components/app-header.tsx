import Link from "next/link";
import { BrandMark } from "./brand-mark";
import { MainNav } from "./main-nav";
import { SignOutButton } from "./sign-out-button";

/** The signed-in header: home link, menu and sign-out. Signed out, only the name. */
export function AppHeader({ signedIn }: { signedIn: boolean }) {
  return (
    <header className="border-b border-gray-200 bg-white">
      <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2">
        <Link
          href={signedIn ? "/connections" : "/"}
          className="inline-flex min-h-11 items-center text-lg font-bold text-brand-700"
        >
          <BrandMark />
        </Link>
        {signedIn ? (
          <div className="flex flex-wrap items-center gap-1">
            <MainNav />
            <SignOutButton />
          </div>
        ) : null}
      </div>
    </header>
  );
}

export function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
    >
      Skip to content
    </a>
  );
}
