import type { Metadata } from "next";
import Link from "next/link";
import { EmailText } from "@/app/_components/email-text";
import { askedHere } from "@/lib/auth/asked-here";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { EmailAddress } from "@/lib/auth/email-address";
import { brand } from "@/lib/brand";
import { env } from "@/lib/env";
import { AskedElsewhere } from "./asked-elsewhere";

export const dynamic = "force-dynamic";
// The URL holds a live sign-in token: it may only go to our own origin as a referrer, which also
// makes this page's POST carry our Origin (lib/security/sign-in-origin.ts).
export const metadata: Metadata = { title: "Confirm sign-in", referrer: "same-origin" };

type Params = { token?: string | string[]; email?: string | string[]; callbackUrl?: string | string[] };
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Opening the mailed link only shows this page; signing in takes the button's POST to the email
 * callback, so a mail scanner that follows links cannot use the token up. The token goes in the
 * POST body, so the request that spends it has no secret in its URL.
 */
export default async function ConfirmSignInPage({ searchParams }: { searchParams: Promise<Params> }) {
  const { appName } = brand();
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
  if (!(await askedHere(email.data))) {
    return <AskedElsewhere appName={appName} email={email.data} token={token} callbackUrl={callbackUrl} />;
  }
  return (
    <>
      <h1 className="text-2xl font-bold">Sign in to {appName}</h1>
      <p className="mt-4 text-base">
        Sign in as <EmailText email={email.data} strong />
      </p>
      <form method="post" action="/api/auth/callback/email" className="mt-6">
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="email" value={email.data} />
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
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
