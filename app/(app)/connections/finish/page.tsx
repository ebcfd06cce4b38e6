import type { Metadata } from "next";
import { ActionForm } from "@/app/_components/action-form";
import { AskedElsewhereNotice, ELSEWHERE_SEEN } from "@/app/_components/asked-elsewhere-notice";
import { EmailText } from "@/app/_components/email-text";
import { ButtonLink } from "@/app/_components/links";
import { getCurrentSession, requireUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { finishParkedAction } from "@/lib/connections/actions/finish-parked";
import { viewParked } from "@/lib/connections/bank-return/finish";
import { isRecordId } from "@/lib/ids";
import { browserBindingHash } from "@/lib/security/browser-binding";

export const metadata: Metadata = { title: "Finish with your bank" };

/**
 * A bank sent this browser back without our cookies (for example the bank's app opened its own
 * browser): the answer is held until this browser is signed in as the person who started the trip.
 */
export default async function FinishPage({ searchParams }: { searchParams: Promise<{ exchange?: string }> }) {
  const { appName } = brand();
  const { exchange: raw } = await searchParams;
  const exchange = isRecordId(raw) ? raw : "";
  const user = await requireUser(`/connections/finish?exchange=${encodeURIComponent(exchange)}`);
  const view = exchange
    ? await viewParked(exchange, await browserBindingHash(), user.id)
    : ({ kind: "missing" } as const);

  if (view.kind === "missing") {
    return (
      <div className="space-y-5">
        <h1 className="text-2xl font-bold sm:text-3xl">There's nothing to finish here</h1>
        <p className="text-base">
          This can only be finished in the browser your bank sent back, within 30 minutes. Nothing was added
          to your account. You can start again from your connections.
        </p>
        <ButtonLink href="/connections" secondary>
          Back to your connections
        </ButtonLink>
      </div>
    );
  }
  if (view.kind === "not_owner") {
    return (
      <div className="space-y-5">
        <h1 className="text-2xl font-bold sm:text-3xl">{view.providerName} was not added</h1>
        <p role="alert" className="text-base">
          This bank connection was started from a different {appName} account than the one signed in here (
          {user.email}), so it will not be added to it, and nothing your bank sent will be kept.
        </p>
        <ActionForm action={finishParkedAction} fields={{ exchange }} pendingLabel="Ending…">
          End this access now
        </ActionForm>
        <p className="text-sm text-muted">If you do nothing, it ends by itself within 30 minutes.</p>
      </div>
    );
  }
  const elsewhere = (await getCurrentSession())?.linkAskedElsewhere ?? false;
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">Add {view.providerName}</h1>
      {elsewhere ? <AskedElsewhereNotice email={user.email} bank={view.providerName} /> : null}
      <p className="text-base">
        Your bank sent you back to this browser. Press the button to add {view.providerName} for the {appName}{" "}
        account <EmailText email={user.email} strong />.
      </p>
      {view.accounts.length ? (
        <ul className="list-disc pl-6 text-base">
          {view.accounts.map((account) => (
            <li key={account}>{account}</li>
          ))}
        </ul>
      ) : null}
      <ActionForm
        action={finishParkedAction}
        fields={elsewhere ? { exchange, ...ELSEWHERE_SEEN } : { exchange }}
        pendingLabel="Finishing…"
      >
        Add {view.providerName}
      </ActionForm>
      <p className="text-sm text-muted">
        Not your account? Do nothing: this ends by itself within 30 minutes.
      </p>
    </div>
  );
}
