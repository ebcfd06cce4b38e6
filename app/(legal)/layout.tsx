import { AppHeader, SkipLink } from "@/app/_components/app-header";
import { getCurrentUser } from "@/lib/auth/session";

/** Pages anyone may read, signed in or out, with the header that fits who is reading. */
export default async function LegalLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  return (
    <>
      <SkipLink />
      <AppHeader signedIn={Boolean(user?.name)} />
      <main id="main" className="mx-auto max-w-3xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </>
  );
}
