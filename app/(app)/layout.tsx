import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { MainNav } from "@/app/_components/main-nav";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { getCurrentUser } from "@/lib/auth/session";
import { DueBanner } from "./_components/due-banner";

// Personal pages: never cached.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const [user, requestHeaders] = await Promise.all([getCurrentUser(), headers()]);
  const pathname = requestHeaders.get("x-pathname") ?? "";
  const onReconfirmation = pathname === "/reconfirm" || pathname.startsWith("/reconfirm/");
  // Signed out: no shell, and the page's own requireUser(itsPath) sends the visitor to sign in and back
  // to that page. A layout cannot know the path, and it runs before the page, so redirecting here would
  // always lose it. Every page under (app) must call requireUser itself (house rule).
  if (!user) return children;
  if (!user.name) redirect("/welcome");

  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="border-b border-gray-200 bg-white">
        <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2">
          <Link href="/connections" className="text-lg font-bold text-brand-700">
            Reconsent
          </Link>
          <div className="flex flex-wrap items-center gap-1">
            <MainNav />
            <SignOutButton />
          </div>
        </div>
      </header>
      <div className="mx-auto max-w-3xl px-4">{onReconfirmation ? null : <DueBanner userId={user.id} />}</div>
      <main id="main" className="mx-auto max-w-3xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </>
  );
}
