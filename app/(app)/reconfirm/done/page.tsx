import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConnectionsLink, TextLink } from "@/app/_components/links";
import { mayTouch, requireActor, toSignIn } from "@/lib/auth/reminder-session";
import { now } from "@/lib/clock";
import { getReconfirmationForUser } from "@/lib/connections/queries";
import { bankResults, resultsHeading } from "@/lib/connections/reconfirm/results";
import { isRecordId } from "@/lib/ids";
import { BankResults } from "../_components/bank-results";
import { RenewedBalances } from "../_components/renewed-balances";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your banks" };

export default async function ReconfirmDonePage({ searchParams }: { searchParams: Promise<{ r?: string }> }) {
  const { r } = await searchParams;
  const id = isRecordId(r) ? r : "";
  const returnTo = `/reconfirm/done?r=${encodeURIComponent(id)}`;
  const actor = await requireActor(returnTo);
  const record = id ? await getReconfirmationForUser(id, actor.user.id) : null;
  const ids = record?.items.map((i) => i.connection.id) ?? [];
  if (actor.only && !(ids.length > 0 && mayTouch(actor, ids))) toSignIn(returnTo);
  if (!record) notFound();
  const at = now();
  const results = bankResults(record, at);
  const total = results.length;
  const heading = resultsHeading(results);
  return (
    <>
      <h1 className="text-2xl font-bold">{heading}</h1>
      {total > 1 ? <p className="mt-2 text-base text-muted">Here is what happened with each bank.</p> : null}
      <div className="mt-6">
        <BankResults
          results={results}
          reconfirmationId={record.id}
          inHeading={total === 1 ? results[0]?.connectionId : undefined}
        />
      </div>
      {/* A reminder session sees what the mail already said, never the account's data (decision 028). */}
      {actor.only ? (
        <p className="mt-6 text-base">
          To see your balances and everything else you share,{" "}
          <TextLink href="/signin?callbackUrl=%2Fconnections">sign in</TextLink>.
        </p>
      ) : (
        <RenewedBalances record={record} results={results} at={at} />
      )}
      {actor.only ? null : <ConnectionsLink />}
    </>
  );
}
