import type { Metadata } from "next";
import { ActionForm } from "@/app/_components/action-form";
import { EmailText } from "@/app/_components/email-text";
import { TextLink } from "@/app/_components/links";
import { stepUpAction } from "@/lib/auth/actions/step-up";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { requireUser } from "@/lib/auth/session";
import { STEP_UP_MS } from "@/lib/auth/step-up";
import { stepUpWhat } from "@/lib/auth/step-up-words";
import { env } from "@/lib/env";
import { firstParam } from "@/lib/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Confirm it's you" };

type Params = { callbackUrl?: string | string[] };

// Step-up (issue 27 item 6): a session someone else picked up (an unlocked laptop, a stolen cookie) cannot take
// everything we hold about you, or delete it, without a link from your inbox.
export default async function SignInAgainPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const returnTo = safeCallbackUrl(firstParam(params.callbackUrl), env().APP_URL);
  const user = await requireUser(returnTo);
  return (
    <>
      <h1 className="text-2xl font-bold">Confirm it&apos;s you</h1>
      <p className="mt-4 text-base">
        {stepUpWhat(returnTo)} needs a sign-in from the last {STEP_UP_MS / 60_000} minutes. We&apos;ll email a
        new sign-in link to <EmailText email={user.email} strong />; it brings you straight back.
      </p>
      <ActionForm action={stepUpAction.bind(null, returnTo)} pendingLabel="Sending…" className="mt-6">
        Email me a sign-in link
      </ActionForm>
      <p className="mt-6 text-sm text-muted">
        Stopping sharing with a bank never needs this.{" "}
        <TextLink href="/connections">Back to your connections</TextLink>
      </p>
    </>
  );
}
