import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { linkSentTo } from "@/lib/auth/check-email";
import { getCurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type Params = { callbackUrl?: string | string[]; signedOut?: string; error?: string };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const raw = Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl;
  const callbackUrl = safeCallbackUrl(raw, env().APP_URL);
  const [user, knownEmail] = await Promise.all([getCurrentUser(), linkSentTo()]);
  if (user) redirect(callbackUrl);

  return (
    <>
      <h1 className="text-2xl font-bold">Sign in</h1>
      {params.signedOut ? (
        <p role="status" className="mt-4 rounded-lg bg-brand-50 p-3 text-base">
          {params.signedOut === "all" ? "You're signed out on every device." : "You're signed out."}
        </p>
      ) : null}
      {params.error ? (
        <p role="alert" className="mt-4 rounded-lg bg-red-50 p-3 text-base text-red-800">
          We couldn&apos;t sign you in with that link. Ask for a new one below.
        </p>
      ) : null}
      <p className="mt-4 text-base text-muted">
        Enter your email address and we&apos;ll send you a link to sign in. No password needed. New here? The
        same link creates your account.
      </p>
      <SignInForm callbackUrl={callbackUrl} defaultEmail={knownEmail ?? ""} />
    </>
  );
}
