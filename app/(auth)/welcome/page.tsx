import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { EmailText } from "@/app/_components/email-text";
import { NameForm } from "@/app/_components/name-form";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { env } from "@/lib/env";
import { firstParam } from "@/lib/search-params";

// Outside the (app) group on purpose: that shell sends anyone without a name here.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your name" };

type Params = { callbackUrl?: string | string[] };

export default async function WelcomePage({ searchParams }: { searchParams: Promise<Params> }) {
  const { appName } = brand();
  const user = await requireUser("/welcome");
  const next = safeCallbackUrl(firstParam((await searchParams).callbackUrl), env().APP_URL);
  if (user.name) redirect(next);

  return (
    <>
      <h1 className="text-2xl font-bold">Welcome to {appName}</h1>
      <p className="mt-4 text-base">
        One thing before you start: your full name. When you renew access to your bank data, your bank checks
        it against the name on your account.
      </p>
      <p className="mt-2 text-sm text-muted">
        Signed in as <EmailText email={user.email} />
      </p>
      <NameForm next={next} submitLabel="Continue" className="mt-6" />
      <div className="mt-6 border-t border-gray-200 pt-4 text-sm">
        <SignOutButton />
      </div>
    </>
  );
}
