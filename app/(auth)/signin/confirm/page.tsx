import type { Metadata } from "next";
import Link from "next/link";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { EmailAddress } from "@/lib/auth/email-address";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";
// The URL holds a live sign-in token: never send it on as a referrer.
export const metadata: Metadata = { title: "Confirm sign-in", referrer: "no-referrer" };

type Params = { token?: string | string[]; email?: string | string[]; callbackUrl?: string | string[] };
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Opening the mailed link only shows this page; signing in takes the button's POST to next-auth's
 * email callback, so a mail scanner that follows links cannot use the token up.
 */
export default async function ConfirmSignInPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const token = first(params.token) ?? "";
  const email = EmailAddress.safeParse(first(params.email) ?? "");

  if (!/^[0-9a-f]{64}$/.test(token) || !email.success) {
    return (
      <>
        <h1 className="text-2xl font-bold">This link is incomplete</h1>
        <p className="mt-4 text-base">
          Part of the sign-in link seems to be missing. Try opening it again from the email, or{" "}
          <Link href="/signin" className="font-semibold text-brand-700 underline">
            send a new link
          </Link>
          .
        </p>
      </>
    );
  }

  const callbackUrl = safeCallbackUrl(first(params.callbackUrl), env().APP_URL);
  const action = `/api/auth/callback/email?${new URLSearchParams({ token, email: email.data, callbackUrl })}`;
  return (
    <>
      <h1 className="text-2xl font-bold">Sign in to Reconsent</h1>
      <p className="mt-4 text-base">
        Sign in as <strong className="break-all">{email.data}</strong>
      </p>
      <form method="post" action={action} className="mt-6">
        <button
          type="submit"
          className="inline-flex min-h-12 w-full items-center justify-center rounded-lg bg-brand-700 px-6 text-base font-semibold text-white hover:bg-brand-800 sm:w-auto"
        >
          Sign in
        </button>
      </form>
      <p className="mt-6 text-sm text-muted">
        Not you, or didn&apos;t ask to sign in? Close this page; nothing happens until you press the button.
      </p>
    </>
  );
}
