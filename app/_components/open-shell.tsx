import { AppHeader, SkipLink } from "@/app/_components/app-header";
import { getCurrentUser } from "@/lib/auth/session";

/** A page anyone may reach, signed in or not (policies, the bank's return): the header that fits the reader. */
export async function OpenShell({ children }: { children: React.ReactNode }) {
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
