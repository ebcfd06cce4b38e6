import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
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
  if (
    actor.only &&
    (!record?.items.length ||
      !mayTouch(
        actor,
        record.items.map((i) => i.connection.id),
      ))
  )
    toSignIn(returnTo);
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
          <Link href="/signin?callbackUrl=%2Fconnections" className="font-medium text-brand-700 underline">
            sign in
          </Link>
          .
        </p>
      ) : (
        <RenewedBalances record={record} results={results} at={at} />
      )}
      {actor.only ? null : (
        <Link
          href="/connections"
          className="mt-6 inline-flex min-h-11 items-center font-medium text-brand-700 underline"
        >
          Back to your connections
        </Link>
      )}
    </>
  );
}
