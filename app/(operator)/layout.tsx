import { headers } from "next/headers";
import { AppHeader, SkipLink } from "@/app/_components/app-header";
import { guardOperator } from "@/lib/auth/operator";

// Operator pages: never cached.
export const dynamic = "force-dynamic";

// Checks the role and a recent sign-in before anything of the group renders. A layout is not re-run when an
// operator moves between these pages in the browser, so every page and route checks (and logs) itself as well.
export default async function OperatorLayout({ children }: { children: React.ReactNode }) {
  const path = (await headers()).get("x-pathname") ?? "/operator/funnel";
  await guardOperator(path.startsWith("/operator") ? path : "/operator/funnel");
  return (
    <>
      <SkipLink />
      <AppHeader signedIn />
      <main id="main" className="mx-auto max-w-3xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </>
  );
}
