import { AppHeader, SkipLink } from "@/app/_components/app-header";
import { getCurrentUser } from "@/lib/auth/session";

// The bank sends people back here, possibly in a browser without our cookies. The signed-in shell's
// layout would send them to sign in with its own return address; this page must come back to itself.
export const dynamic = "force-dynamic";

export default async function BankReturnLayout({ children }: { children: React.ReactNode }) {
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
