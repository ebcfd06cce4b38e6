import type { Metadata } from "next";
import { ActionForm } from "@/app/_components/action-form";
import { AskedElsewhereNotice, ELSEWHERE_SEEN } from "@/app/_components/asked-elsewhere-notice";
import { EmailText } from "@/app/_components/email-text";
import { ButtonLink } from "@/app/_components/links";
import { getCurrentSession } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { finishReturnAction } from "@/lib/connections/actions/finish-return";
import { viewWaitingReturn } from "@/lib/connections/bank-return/finish-return";
import { formatTime } from "@/lib/format";

export const metadata: Metadata = { title: "Back from your bank" };

/**
 * Your bank sent this browser back, but it did not start the renewal and nobody is signed in here (a bank's app
 * often opens the phone's default browser). Nothing was sent to TrueLayer: the bank's link is kept in this
 * browser for five minutes, for the person whose renewal it is to finish after signing in here.
 */
export default async function ReturnedPage() {
  const { appName } = brand();
  const session = await getCurrentSession();
  const user = session?.user ?? null;
  const view = await viewWaitingReturn(user?.id ?? null);
  if (view.kind === "none" || view.kind === "expired") {
    return (
      <div className="space-y-5">
        <h1 className="text-2xl font-bold sm:text-3xl">There's nothing to finish here</h1>
        <p className="text-base">
          {view.kind === "expired"
            ? "Your bank's link back lasts five minutes, and that time has passed. Nothing was changed: your bank's access is as it was. Start the renewal again from your connections."
            : "Nothing from your bank is waiting in this browser. Nothing was changed."}
        </p>
        <ButtonLink href="/connections" secondary>
          Go to your connections
        </ButtonLink>
      </div>
    );
  }
  if (view.kind === "sign_in") {
    return (
      <div className="space-y-5">
        <h1 className="text-2xl font-bold sm:text-3xl">Sign in to finish renewing</h1>
        <p className="text-base">
          Your bank sent you back to this browser, which isn't signed in to {appName}. To finish renewing,
          sign in here by {formatTime(view.until)}. Until then nothing is sent to your bank or to TrueLayer.
        </p>
        <ButtonLink href="/signin?callbackUrl=%2Fconnections%2Freturned" secondary>
          Sign in to {appName}
        </ButtonLink>
      </div>
    );
  }
  if (view.kind === "no_trip") {
    return (
      <div className="space-y-5">
        <h1 className="text-2xl font-bold sm:text-3xl">No renewal of yours is waiting</h1>
        <p role="alert" className="text-base">
          The account signed in here (<EmailText email={user?.email ?? ""} />) has no renewal waiting at a
          bank, so this link back from a bank was not used. Nothing was changed.
        </p>
        <ButtonLink href="/connections" secondary>
          Go to your connections
        </ButtonLink>
      </div>
    );
  }
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">Finish renewing {view.banks}</h1>
      <p className="text-base">
        Your bank sent you back to this browser. Press the button to finish renewing {view.banks} for the{" "}
        {appName} account <EmailText email={user?.email ?? ""} strong />. If your bank's answer belongs to a
        different account, we won't use it.
      </p>
      {session?.linkAskedElsewhere ? (
        <AskedElsewhereNotice email={user?.email ?? ""} bank={view.banks} />
      ) : null}
      <ActionForm
        action={finishReturnAction}
        fields={session?.linkAskedElsewhere ? { ...ELSEWHERE_SEEN } : {}}
        pendingLabel="Finishing…"
      >
        Finish renewing
      </ActionForm>
    </div>
  );
}
