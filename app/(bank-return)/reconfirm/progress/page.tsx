import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ConnectionsLink } from "@/app/_components/links";
import { BankResults } from "@/app/(app)/reconfirm/_components/bank-results";
import { RenewedBalances } from "@/app/(app)/reconfirm/_components/renewed-balances";
import { requireActor, toSignIn } from "@/lib/auth/reminder-session";
import { now } from "@/lib/clock";
import { justRenewed } from "@/lib/connections/consent-state";
import {
  getCodeExchange,
  getConnectionsForUser,
  getLatestBankCompletion,
  getReconfirmationForUser,
} from "@/lib/connections/queries";
import { bankResults, progressOf, resultsHeading } from "@/lib/connections/reconfirm/results";
import { isRecordId } from "@/lib/ids";
import { NotFinished } from "./_components/not-finished";

export const metadata: Metadata = { title: "Back from your bank" };

export default async function ProgressPage({
  searchParams,
}: {
  searchParams: Promise<{ exchange?: string }>;
}) {
  const { exchange: raw } = await searchParams;
  const id = isRecordId(raw) ? raw : "";
  // Tokens were stored before this: a browser without our cookies signs in, then comes back here.
  const returnTo = `/reconfirm/progress?exchange=${encodeURIComponent(id)}`;
  const actor = await requireActor(returnTo);
  const { user } = actor;
  const exchange = id ? await getCodeExchange(id) : null;
  if (actor.only && !(exchange?.connectionId && actor.only.has(exchange.connectionId))) toSignIn(returnTo);
  if (!exchange || (exchange.userId && exchange.userId !== user.id)) notFound();
  if (exchange.outcome.status === "parked")
    redirect(`/connections/finish?exchange=${encodeURIComponent(id)}`);
  if (exchange.outcome.status !== "completed" || !exchange.connectionId) {
    const pending = exchange.outcome.status === "pending";
    const at = now();
    const renewed = pending ? [] : (await getConnectionsForUser(user.id)).filter((c) => justRenewed(c, at));
    const reason = exchange.outcome.status === "failed" ? exchange.outcome.reason : undefined;
    return <NotFinished pending={pending} renewed={renewed} reason={reason} />;
  }
  const completion = await getLatestBankCompletion(exchange.connectionId);
  const record = completion?.reconfirmationId
    ? await getReconfirmationForUser(completion.reconfirmationId, user.id)
    : null;
  const at = now();
  const results = record ? bankResults(record, at) : [];
  const mine = results.find((r) => r.connectionId === exchange.connectionId);
  const { total, next } = progressOf(results);
  // Several banks: every one named with its own status, as on the results page, and the figures read since.
  return (
    <>
      <h1 className="text-2xl font-bold">
        {total > 1 ? resultsHeading(results) : (mine?.headline ?? "Done: sharing continues")}
      </h1>
      {record && total > 1 ? (
        <>
          <p className="mt-2 text-base text-muted">Here is what happened with each bank.</p>
          <div className="mt-6">
            <BankResults results={results} reconfirmationId={record.id} />
          </div>
          {/* A reminder session sees what the mail already said, never the account's data (decision 028). */}
          {actor.only ? null : <RenewedBalances record={record} results={results} at={at} />}
        </>
      ) : null}
      {next ? null : <ConnectionsLink />}
    </>
  );
}
