import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { linkSentTo } from "@/lib/auth/check-email";
import { getCurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { firstParam } from "@/lib/search-params";
import { SignInForm } from "./sign-in-form";
import { SignInNotices } from "./sign-in-notices";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type Params = { callbackUrl?: string | string[]; signedOut?: string; error?: string };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(firstParam(params.callbackUrl), env().APP_URL);
  const [user, knownEmail] = await Promise.all([getCurrentUser(), linkSentTo()]);
  if (user) redirect(callbackUrl);

  return (
    <>
      <h1 className="text-2xl font-bold">Sign in</h1>
      <SignInNotices signedOut={params.signedOut} error={params.error} />
      <p className="mt-4 text-base text-muted">
        Enter your email address and we&apos;ll send you a link to sign in. No password needed. New here? The
        same link creates your account.
      </p>
      <SignInForm callbackUrl={callbackUrl} defaultEmail={knownEmail ?? ""} />
    </>
  );
}
