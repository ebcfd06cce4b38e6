import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppHeader, SkipLink } from "@/app/_components/app-header";
import { getReminderSession } from "@/lib/auth/reminder-session";
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
  if (!user) {
    // A reminder link's session: no menu; each page decides what it may see (docs/decisions/028).
    if (!(await getReminderSession())) return children;
    return (
      <>
        <SkipLink />
        <AppHeader signedIn={false} />
        <main id="main" className="mx-auto max-w-3xl px-4 py-6 sm:py-8">
          {children}
        </main>
      </>
    );
  }
  if (!user.name) redirect("/welcome");

  return (
    <>
      <SkipLink />
      <AppHeader signedIn />
      <div className="mx-auto max-w-3xl px-4">{onReconfirmation ? null : <DueBanner userId={user.id} />}</div>
      <main id="main" className="mx-auto max-w-3xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </>
  );
}
